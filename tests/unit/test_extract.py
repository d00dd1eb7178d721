"""Extraction rules on small notes written for the test: each definition form, and each kind of noise."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.decks.extract import extract

NOTES = Path(__file__).resolve().parents[1] / "data" / "notes"


def _cards(text: str) -> dict[str, str]:
    return {card.front: card.back for card in extract(text, "n.md").cards}


@pytest.mark.parametrize(
    ("line", "front", "back"),
    [
        ("- **Transformer**: 基于注意力机制的模型架构", "Transformer", "基于注意力机制的模型架构"),
        (
            "1. **自注意力机制(Self-Attention)：** 这是关键组件。",
            "自注意力机制(Self-Attention)",
            "这是关键组件。",
        ),
        ("Term: some text", "Term", "some text"),
        ("  • 缓存：快速的存储层", "缓存", "快速的存储层"),
        ("* 精确模式,试图将句子最精确地切开", "精确模式", "试图将句子最精确地切开"),
        ("- SLM（统计语言模型）", "SLM", "统计语言模型"),
        ("- 大语言模型 (LLM，Large Language Model)", "LLM", "大语言模型 (Large Language Model)"),
        ("AIGC: Artificial Intelligence Generated Contents AI生成内容", "AIGC", "AI生成内容"),
        ("- ELMo-双向LSTM", "ELMo", "双向LSTM"),
        ("- BERT-Mask Language Model（MLM）/NSP", "BERT", "Mask Language Model（MLM）/NSP"),
        ("Docker 是一种容器技术。", "Docker", "Docker 是一种容器技术。"),
        ("分片是指把数据拆分到多台机器上。", "分片", "分片是指把数据拆分到多台机器上。"),
        ("- 微调模型 (fine-tuning)", "微调模型", "fine-tuning"),
    ],
)
def test_definition_forms(line: str, front: str, back: str) -> None:
    cards = _cards(line)
    assert front in cards, cards
    assert back in cards[front]


@pytest.mark.parametrize(
    "text",
    [
        "- [SQLite](https://sqlite.org/)\n- [Redis](https://redis.io/)",
        "![diagram](d.png)",
        "```bash\nKEY: value\npip install x\n```",
        "## Heading alone\n\n## Next\n",
        "- Vercel:?\n- cloudflare:\n- Neovim: 类似Emacs?",
        "跳转至\n\n约 5401 个字 预计阅读时间 18 分钟",
        "- MT-DNN\n- Stable-Diffusion\n- 百度-文心一言",
        "> By：someone\n> Date：2023.08.13",
        "在实践中，这种方法效果很好。\n\n总的来说，它是一种重要技术。",
        "- 其他 ：\n  - UniLM\n  - XLNet",
        "数据集下载目录：`~/.cache/huggingface/datasets`",
    ],
)
def test_noise_makes_no_cards_and_is_reported(text: str) -> None:
    extraction = extract(text, "n.md")
    assert extraction.cards == ()
    assert extraction.skipped, "every candidate is reported with a reason"
    assert all(skip.reason for skip in extraction.skipped)


def test_heading_then_paragraph_and_question_then_answer() -> None:
    text = (
        "### Token\n\n在自然语言处理中，Token是指文本的最小单元。\n\n"
        "什么叫做模态(Modality)呢？\n\n每一种信息的来源，都可以称为一种模态。\n"
    )
    cards = _cards(text)
    assert cards["Token"].startswith("在自然语言处理中")
    assert cards["模态(Modality)"].startswith("每一种信息的来源")


def test_question_about_an_abbreviation_puts_the_expansion_on_the_back() -> None:
    cards = _cards("什么是LoRA(Low Rank Adaptation)\n\n是一种微调方法。\n")
    assert cards["LoRA"] == "Low Rank Adaptation\n是一种微调方法。"


def test_list_under_a_term_becomes_a_multi_line_back() -> None:
    text = "文本特征:\n\n  • 对文本分词，比如把这句话分成词\n  • 统计各词在句子中出现次数(词袋模型)\n"
    assert (
        _cards(text)["文本特征"] == "- 对文本分词，比如把这句话分成词\n- 统计各词在句子中出现次数(词袋模型)"
    )


def test_sub_definitions_are_their_own_cards_and_the_rest_joins_the_back() -> None:
    text = "- **机器学习**: 人工智能的子领域。\n  - **监督学习**: 从标记数据中学习。\n  - 例子很多\n"
    cards = _cards(text)
    assert cards["机器学习"] == "人工智能的子领域。\n- 例子很多"
    assert cards["监督学习"] == "从标记数据中学习。"


def test_item_with_indented_body_uses_the_body() -> None:
    text = "  • Emacs:\n\n    Emacs ,是一个以可扩展性为特征的文本编辑器家族。\n"
    assert "文本编辑器家族" in _cards(text)["Emacs"]


def test_tags_come_from_headings_and_source_from_the_line() -> None:
    card = extract("# Title\n\n## 模型\n### 工具\n- **Ollama**: 一种部署工具。\n", "notes.md").cards[0]
    assert card.tags == ("模型", "工具")
    assert card.source == "notes.md:5"


def test_term_defined_twice_is_one_card_with_both_definitions() -> None:
    cards = extract(
        "- LLM: Large Language Model\n\n- LLM : Large Language Model;\n- LLM（大模型）\n", "n"
    ).cards
    assert len(cards) == 1
    assert cards[0].back == "Large Language Model\n\n大模型"


def test_ids_depend_on_the_term_only() -> None:
    before = extract("- **Index**: speeds up lookups\n- **Cache**: a fast store\n", "n").cards
    after = extract(
        "# New title\n\n- **cache** : a very fast store\n- **Index**: speeds up reads\n", "n"
    ).cards
    assert {card.id for card in before} == {card.id for card in after} == {"index", "cache"}


def test_unseen_notes_with_an_advert_tail() -> None:
    extraction = extract((NOTES / "other_notes.md").read_text(encoding="utf-8"), "other_notes.md")
    fronts = {card.front for card in extraction.cards}
    assert {"Index", "事务", "WAL", "OCC", "Redis", "B-Tree", "MVCC", "分片"} <= fronts
    assert not fronts & {"Postgres", "Vercel", "SQLite", "Empty section", "如何系统的学习数据库？"}
    assert any("advertising" in skip.reason for skip in extraction.skipped)
    assert extraction.title == "Databases"


def test_bom_and_crlf_are_ignored() -> None:
    text = (NOTES / "bom_crlf.md").read_bytes().decode("utf-8")
    extraction = extract(text, "bom_crlf.md")
    assert extraction.title == "Crlf notes"
    assert {card.front: card.back for card in extraction.cards} == {
        "Token": "the smallest unit of text.",
        "Cache": "a fast store in front of a slow one",
    }
