"""The five seed documents: every clear definition is a card with the right back, and no noise is."""

from __future__ import annotations

import pytest

from tests.support import SEEDS
from trainer.decks.extract import extract
from trainer.decks.extraction import Extraction

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed notes not found at {SEEDS}")

# document prefix -> (front, key phrase of the back)
EXPECTED = {
    "000": [
        ("微调", "Freeze方法"),
        ("SLM", "统计语言模型"),
        ("PLLM", "多模态大模型"),
        ("ELMo", "双向LSTM"),
        ("GPT", "Pre-training + Fine-tuning"),
        ("BERT", "Next Sentence Prediction"),
        ("Stable-Diffusion", "文本转图像"),
    ],
    "001": [
        ("人工智能", "神经科学，哲学和心理学"),
        ("监督学习", "标记数据"),
        ("机器学习", "半监督学习"),
        ("Transformer", "基于注意力机制"),
        ("PadddlePaddle", "百度"),
        ("DALL-E", "生成与输入描述相关的图像"),
        ("Gradio", "Web 界面"),
    ],
    "002": [
        ("GPT", "基于Transformer架构的预训练语言模型"),
        ("自注意力机制(Self-Attention)", "捕获序列数据中不同位置"),
        ("Tokenizer", "分词器"),
        ("情感分析(Sentiment analysis)", "正面还是负面"),
        ("AIGC", "AI Generated Content"),
        ("LLM", "Large Language Model"),
        ("token", "最小单元"),
        ("微调", "调整已预训练的模型"),
        ("模态(Modality)", "每一种信息的来源"),
        ("NER", "命名实体识别"),
        ("多模态机器学习", "MultiModal Machine Learning"),
        ("Transformers", "Hugging Face 开发的一个 NLP 包"),
        (".ckpt 文件", "模型检查点文件"),
        ("KServe Control Plane", "InferenceService"),
        ("MLOps", "复合词"),
        ("AI Agent", "智能体"),
    ],
    "003": [
        ("多模态", "用于表示某种信息的模式"),
        ("正向最大匹配法", "贪心的方式"),
        ("精确模式", "试图将句子最精确地切开"),
        ("搜索引擎模式", "对长词再次切分"),
        ("基于统计模型的分词算法", "无字典分词"),
        ("文本特征", "词袋模型"),
        ("seqToseq", "序列到序列"),
        ("词集", "jieba内部的词集"),
    ],
    "004": [
        ("AI", "Artificial Intelligence"),
        ("AIGC", "AI生成内容"),
        ("RLHF", "奖励模型"),
        ("LlamaIndex", "桥梁"),
        ("微调(Fine-tuning)", "调整大型语言模型"),
        ("RAG", "Retrieval Augmented Generation"),
        ("Emacs", "文本编辑器家族"),
        ("Embedding", "词嵌入"),
        ("Quantization", "表示模型权重的技术"),
        ("LoRA", "Low Rank Adaptation"),
        ("LangChain", "端到端的应用程序"),
        ("链(Chain)", "调用序列"),
        ("CUDA", "Compute Unified Device Architecture"),
        ("GPU", "显卡上的一块芯片"),
        ("预印本(Preprint)", "同行评议"),
        ("Discord", "免费的通讯软件"),
        ("JAR", "平台无关的文件格式"),
        ("clickbait", "标题党"),
    ],
}

# document prefix -> texts that must not be the front of any card
NOT_CARDS = {
    "000": ["CV", "Llama2", "其他", "百度", "SuperGLUE", "ImageNet", "colab", "会议", "词向量"],
    "001": ["记一记就行了，写太多没啥卵用", "为啥呀？", "知识图谱 Neo4j", "大模型算法"],
    "002": [
        "By",
        "Date",
        "参考资料",
        "前言",
        "HuggingFace",
        "Gemma",
        "MidJourney",
        "数据集下载目录",
        "6.4 KNative",
    ],
    "003": [
        "文本分类",
        "nlp应用场景",
        "后者",
        "如何系统的去学习AI大模型LLM",
        "目标",
        "阶段1",
        "学习计划",
        "抵扣说明",
    ],
    "004": [
        "跳转至",
        "Vercel",
        "cloudflare",
        "CI / CD",
        "Neovim",
        "Google Colab",
        "什么是QKV",
        "PineCone",
        "PyTorch",
    ],
}


def _extraction(prefix: str) -> Extraction:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return extract(path.read_text(encoding="utf-8"), path.name)


@pytest.mark.parametrize(
    ("prefix", "front", "phrase"), [(p, f, k) for p, rows in EXPECTED.items() for f, k in rows]
)
def test_definition_becomes_card_with_its_back(prefix: str, front: str, phrase: str) -> None:
    cards = {card.front: card for card in _extraction(prefix).cards}
    assert front in cards, f"missing card {front!r}"
    assert phrase in cards[front].back


@pytest.mark.parametrize(("prefix", "front"), [(p, f) for p, fronts in NOT_CARDS.items() for f in fronts])
def test_noise_is_not_a_card(prefix: str, front: str) -> None:
    fronts = {card.front for card in _extraction(prefix).cards}
    assert front not in fronts


def test_advert_tail_is_skipped_as_one_block() -> None:
    extraction = _extraction("003")
    assert all(int((card.source or ":0").split(":")[1]) < 129 for card in extraction.cards)
    assert any(s.line == 129 and "advertising" in s.reason for s in extraction.skipped)


def test_every_card_has_source_line_and_clean_text() -> None:
    for prefix in EXPECTED:
        for card in _extraction(prefix).cards:
            assert card.source and card.source.split(":")[1].isdigit()
            for text in (card.front, card.back):
                assert "**" not in text and "<br" not in text and "](" not in text


def test_term_defined_twice_in_a_document_is_one_card() -> None:
    cards = [card for card in _extraction("002").cards if card.id == "自注意力机制"]
    assert len(cards) == 1
    assert "关键组件" in cards[0].back and "也被称为自我注意力" in cards[0].back
