"""Document text (the reports' wording, titles, citations) is shown as printed, marked lang="en", inside sentences
that are the interface's: `with_quotes` puts it in place of the sentence's marks, in any language's word order."""

from dashboard import components
from dashboard.translation import Translator


def test_with_quotes_marks_the_document_text_and_keeps_the_sentence():
    parts = components.with_quotes(f"Source: {components.mark('source')}, 4.1", source="Annual Report 2020")
    assert parts[0] == "Source: "
    assert parts[1].lang == "en" and parts[1].children == "Annual Report 2020"
    assert parts[2] == ", 4.1"


def test_with_quotes_follows_the_translation_word_order():
    sentence = Translator("fr").gettext("%(subject)s: printed %(printed)s; from the rows %(recomputed)s.",
                                        subject=components.mark("subject"), printed=components.mark("printed"),
                                        recomputed=components.mark("recomputed"))
    parts = components.with_quotes(sentence, subject="Fees", printed="78", recomputed="77")
    assert [p.children for p in parts if not isinstance(p, str)] == ["Fees", "78", "77"]
    assert "imprimé" in "".join(p for p in parts if isinstance(p, str))


def test_quoting_marks_each_occurrence_of_a_document_name():
    parts = components.quoting("2020 est une année publiée : chiffres tels qu’imprimés dans le Metropolis Annual "
                               "Report 2020.", "Metropolis Annual Report 2020")
    assert [p.children for p in parts if not isinstance(p, str)] == ["Metropolis Annual Report 2020"]
    assert components.quoting("sans rapport", "") == ["sans rapport"]
