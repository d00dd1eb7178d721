"""Every definition form the extractor knows, on tiny notes written for this test (English and Chinese).

Each row is a note, the card it must give (front, a phrase of the back) and, where it matters, the
fronts it must not give. The notes are made up: none is taken from the development set.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.decks.build import build_decks
from trainer.decks.extract import extract

H1_TERMS = (
    "# Heap\n\nA region of memory for objects.\n\n# Stack\n\nThe memory that holds call frames.\n\n"
    "# Queue\n\nA list served first in, first out.\n"
)


def _cards(text: str, name: str = "notes.md") -> dict[str, str]:
    return {card.front: card.back for card in extract(text, name).cards}


FORMS = [
    # tables: a term column and an explanation column, found by header words or by shape
    (
        "table-en",
        "| Term | Definition |\n|---|---|\n| Latency | Time a request waits. |\n"
        "| Jitter | Variation in latency. |\n",
        "Latency",
        "Time a request waits",
    ),
    (
        "table-zh",
        "| 名称 | 解释 |\n|---|---|\n| 吞吐量 | 单位时间内处理的请求数。 |\n| 延迟 | 请求等待的时间。 |\n",
        "吞吐量",
        "单位时间内处理的请求数",
    ),
    (
        "table-abbr",
        "| 缩略语 | 含义 |\n| --- | --- |\n| DNS | Domain Name System，域名系统。 |\n"
        "| TLS | Transport Layer Security，传输层安全。 |\n",
        "DNS",
        "域名系统",
    ),
    (
        "table-shape",
        "| | |\n|---|---|\n| Quorum | The minimum number of votes a cluster needs to decide. |\n"
        "| Lease | A lock that expires on its own after a set time. |\n",
        "Quorum",
        "minimum number of votes",
    ),
    (
        "table-three",
        "| Concept | Meaning | Example |\n|---|---|---|\n"
        "| Idempotence | Repeating an operation changes nothing more. | PUT |\n"
        "| Backoff | Waiting longer after each failure. | retries |\n",
        "Idempotence",
        "Example: PUT",
    ),
    (
        "table-acronyms",
        "| Acronym | Full name |\n|---|---|\n"
        "| GPU | Graphics Processing Unit |\n| TPU | Tensor Processing Unit |\n",
        "GPU",
        "Graphics Processing Unit",
    ),
    (
        "table-first-entry-in-header",
        "| TCP | 传输控制协议，面向连接的可靠传输协议 |\n|---|---|\n"
        "| UDP | 用户数据报协议，无连接的传输协议 |\n| IP | 网际协议，负责寻址与路由 |\n",
        "TCP",
        "面向连接",
    ),
    (
        "table-first-entry-in-header-en",
        "| Quorum | The minimum number of votes a cluster needs to decide. |\n|---|---|\n"
        "| Lease | A lock that expires on its own after a set time. |\n"
        "| Fencing token | A number that rises with each lease, so a stale holder is refused. |\n",
        "Quorum",
        "minimum number of votes",
    ),
    # Obsidian and GitHub callouts: a titled one is a term over its definition; wiki links read as links
    (
        "callout",
        "# Networking\n\n> [!note] Latency\n> The time a packet takes to reach its destination.\n\n"
        "> [!tip]+ Bandwidth\n> The maximum rate of data transfer across a path.\n",
        "Bandwidth",
        "maximum rate",
    ),
    (
        "callout-question",
        "> [!question] 什么是过拟合？\n> 模型记住了训练数据中的噪声，在新数据上表现差。\n",
        "过拟合",
        "噪声",
    ),
    (
        "wikilink-term",
        "- [[Packet loss]]: when packets fail to reach their destination.\n"
        "- [[Round-trip time|RTT]]: the time a request takes to go and come back.\n",
        "RTT",
        "go and come back",
    ),
    (
        "lenticular",
        "## 基本概念\n\n【协议】通信双方为了交换数据而约定的规则。\n\n"
        "【带宽】单位时间内可传输的最大数据量。\n",
        "协议",
        "约定的规则",
    ),
    (
        "full-width-numbering",
        "1．时延：数据从一端传到另一端所需的时间。\n2．吞吐量：单位时间内通过的数据量。\n",
        "时延",
        "所需的时间",
    ),
    (
        "question-answer-dotted",
        "Q. What is the GIL?\nA. A lock that lets only one thread run Python bytecode at a time.\n",
        "GIL",
        "only one thread",
    ),
    (
        "heading-lone-item",
        "# Python\n\n### Comprehension\n- A compact way to build a list, set or dict from an iterable.\n",
        "Comprehension",
        "compact way",
    ),
    (
        "sentence-under-a-question-heading",
        "## 1. 什么是过拟合？如何避免？\n\n过拟合是指模型在训练集上表现很好，但在测试集上表现差。\n",
        "过拟合",
        "训练集",
    ),
    (
        "heading-gerund",
        "# Statistics\n\n### Type I error\nRejecting a true null hypothesis.\n",
        "Type I error",
        "Rejecting",
    ),
    (
        "heading-defining-list",
        "# Terms\n\n## Transformer\n- A network architecture built on self-attention.\n"
        "- Introduced in 2017 by Vaswani and others.\n",
        "Transformer",
        "- A network architecture",
    ),
    (
        "heading-defining-list-zh",
        "# 术语\n\n## 梯度下降\n- 一种沿负梯度方向迭代更新参数的优化方法\n- 学习率决定每一步的步长\n",
        "梯度下降",
        "一种沿负梯度",
    ),
    # toggles (Notion, GitHub): the summary is the term, what it folds its definition
    (
        "toggle",
        "<details><summary>Semaphore</summary>A counter that guards a shared resource.</details>\n",
        "Semaphore",
        "counter",
    ),
    (
        "toggle-text-after-a-blank-line",
        "<details>\n<summary>死锁</summary>\n\n两个进程互相等待对方持有的资源，都无法继续。\n\n</details>\n",
        "死锁",
        "互相等待",
    ),
    # an outline: a bare term with its one explanation as a sub-item, among siblings of that shape
    (
        "outline",
        "- Abstract syntax tree\n  - A tree of the program's structure, without punctuation.\n"
        "- Symbol table\n  - Maps each name in the program to what it stands for.\n",
        "Symbol table",
        "Maps each name",
    ),
    (
        "heading-describing-verb",
        "# Compilers\n\n## Dead code elimination\n\nRemoves code whose results are never used.\n",
        "Dead code elimination",
        "Removes code",
    ),
    # two short columns: a word and its translation or gloss
    (
        "table-translation",
        "| English | 中文 |\n|---|---|\n| deadlock | 死锁 |\n| index | 索引 |\n| lock | 锁 |\n",
        "deadlock",
        "死锁",
    ),
    (
        "table-word-translation",
        "| Word | Translation |\n|---|---|\n| Hund | dog |\n| Katze | cat |\n",
        "Katze",
        "cat",
    ),
    (
        "table-pairs-by-shape",
        "| Left | Right |\n|---|---|\n| 死锁 | deadlock |\n| 索引 | index |\n| 事务 | transaction |\n",
        "索引",
        "index",
    ),
    (
        "bold-colon-next-line",
        "**Dropout:**\nRandomly switching off units in training.\n",
        "Dropout",
        "switching off",
    ),
    ("pairs-en-zh", "## 术语\n\nsaddle point，鞍点\n\nstride，步幅\n", "saddle point", "鞍点"),
    # definition lists: Markdown (with Pandoc anchors and wrapped lines) and HTML
    (
        "deflist",
        "Shard\n:   One horizontal slice of a database,\nheld by one server.\n\nReplica\n"
        ":   A copy of a shard.\n",
        "Shard",
        "held by one server",
    ),
    (
        "deflist-anchor",
        "[write-ahead log]{#wal}\n:   A log written before the data it describes.\n",
        "write-ahead log",
        "written before the data",
    ),
    ("deflist-zh", "熔断\n:   下游故障时暂时停止调用，防止雪崩。\n", "熔断", "防止雪崩"),
    (
        "html-dl",
        "<dl>\n<dt>Cache line</dt>\n<dd>The unit of data moved between memory and cache.</dd>\n</dl>\n",
        "Cache line",
        "unit of data",
    ),
    # bold terms: alone with the definition below, with a dash, with a colon, __underscores__
    (
        "bold-next-line",
        "**Heap**\nA region of memory for dynamic allocation.\n\n**Stack**\nMemory for call frames.\n",
        "Heap",
        "dynamic allocation",
    ),
    ("bold-next-line-zh", "**协程**\n可以暂停和恢复的函数。\n", "协程", "暂停和恢复"),
    ("underscore-bold", "__Mutex__\nA lock only one thread holds at a time.\n", "Mutex", "one thread"),
    (
        "bold-list-below",
        "**Checkpoint**\n\n- a saved copy of the model weights\n"
        "- written every few hundred steps of training\n",
        "Checkpoint",
        "saved copy",
    ),
    ("bold-dash", "**Tokenizer** — splits text into tokens.\n", "Tokenizer", "splits text into tokens"),
    (
        "bold-colon-abbr",
        "- **CPU**: Central Processing Unit\n- **RAM**: Random Access Memory\n",
        "CPU",
        "Central Processing Unit",
    ),
    (
        "en-dash",
        "Garbage collection – reclaiming memory that is no longer used.\n",
        "Garbage collection",
        "reclaiming memory",
    ),
    ("zh-double-dash", "反向传播 —— 计算梯度的一种算法。\n", "反向传播", "计算梯度"),
    # headings with a paragraph under them, in a glossary
    (
        "glossary-headings",
        "# Glossary\n\n## B\n\n### bias\n\nA constant added to a neuron's weighted input.\n\n### batch\n"
        "\nThe examples used in one step of training.\n\n### beam search\n\n"
        "A decoding method keeping the best few sequences at each step.\n",
        "beam search",
        "best few sequences",
    ),
    (
        "heading-zh",
        "## 过拟合\n\n过拟合是指模型在训练集上表现好、在新数据上表现差。\n",
        "过拟合",
        "新数据上表现差",
    ),
    (
        "heading-numbered-zh",
        "## 一、概念\n\n### （一）过拟合\n\n模型记住了训练数据里的噪声。\n\n"
        "### 1.2欠拟合\n\n模型太简单，学不到规律。\n",
        "欠拟合",
        "太简单",
    ),
    (
        "setext-heading",
        "Overfitting\n-----------\n\nOverfitting is when a model learns noise in the training data.\n",
        "Overfitting",
        "learns noise",
    ),
    # questions with their answers
    (
        "question-heading-zh",
        "## 什么是 Dropout？\n\nDropout 在训练时随机丢弃一部分神经元，防止过拟合。\n",
        "Dropout",
        "随机丢弃",
    ),
    (
        "question-suffix-zh",
        "## 梯度消失是什么？\n\n反向传播时梯度越来越小，前面的层几乎学不到东西。\n",
        "梯度消失",
        "梯度越来越小",
    ),
    (
        "question-bold-en",
        "**What is a transaction?**\n\nA group of operations that succeed or fail together.\n",
        "transaction",
        "succeed or fail together",
    ),
    (
        "question-numbered-zh",
        "1. 什么是过拟合？\n\n   模型把训练数据里的噪声也学了进去。\n",
        "过拟合",
        "噪声",
    ),
    # a question with its answer on the next line of the same item or paragraph (no blank line)
    (
        "question-numbered-next-line-zh",
        "1. 什么是死锁？\n   两个事务互相等待对方释放锁，都无法继续。\n"
        "2. 什么是索引？\n   加快查找的数据结构。\n",
        "死锁",
        "互相等待",
    ),
    (
        "question-bold-next-line",
        "**What is a deadlock?**\nTwo transactions each waiting for the other's lock.\n",
        "deadlock",
        "each waiting",
    ),
    (
        "question-next-line",
        "What is a deadlock?\nTwo transactions each waiting for the other's lock.\n",
        "deadlock",
        "each waiting",
    ),
    ("question-next-line-zh", "什么是索引？\n加快查找的数据结构。\n", "索引", "加快查找"),
    (
        "question-qa-next-line",
        "Q: What is a semaphore?\nA: A counter of free slots.\n",
        "semaphore",
        "free slots",
    ),
    (
        "question-qa",
        "Q: What is a deadlock?\nA: Two threads each waiting for a lock the other holds.\n",
        "deadlock",
        "waiting for a lock",
    ),
    ("question-qa-zh", "问：什么是死锁？\n\n答：两个线程互相等待对方持有的锁。\n", "死锁", "互相等待"),
    (
        "question-numbered-heading",
        "### 2. 什么是正则化？\n\n在损失里加惩罚项，限制模型复杂度。\n",
        "正则化",
        "惩罚项",
    ),
    ("question-labelled", "### Q1：什么是召回率？\n\n找出的正例占全部正例的比例。\n", "召回率", "全部正例"),
    ("question-what-does-mean", "## 吞吐量指的是什么？\n\n单位时间内处理的请求数。\n", "吞吐量", "单位时间"),
    (
        "question-qa-one-line",
        "- Q: What is a mutex? A: A lock one thread holds at a time.\n",
        "mutex",
        "one thread",
    ),
    (
        "question-qa-no-term",
        "Q: Why is the sky blue?\n\nA: Sunlight scatters off the air.\n",
        "Why is the sky blue?",
        "scatters",
    ),
    # Obsidian spaced-repetition notes
    (
        "obsidian",
        "- __hash table__ :: A map from keys to values with constant-time lookup.\n",
        "hash table",
        "constant-time lookup",
    ),
    (
        "obsidian-at",
        "- dangling pointer ::@:: A pointer to memory that was freed.\n",
        "dangling pointer",
        "memory that was freed",
    ),
    # definition sentences
    ("sentence-zh", "Kubernetes（K8s）是指一个容器编排系统。\n", "Kubernetes（K8s）", "容器编排系统"),
    (
        "sentence-en",
        "A semaphore is a counter that limits how many threads enter a section.\n",
        "semaphore",
        "limits how many threads",
    ),
    (
        "sentence-or",
        "Overfitting, or overtraining, is the failure to generalise beyond the training set.\n",
        "Overfitting (overtraining)",
        "failure to generalise",
    ),
    (
        "sentence-under-heading",
        "## Words\n\n### latency\n\nLatency is the time between a request and its response.\n",
        "latency",
        "between a request",
    ),
    (
        "bold-period",
        "**Overfitting.** A model that learns the noise in its data.\n",
        "Overfitting",
        "learns the noise",
    ),
    (
        "obsidian-multiline",
        "Photosynthesis\n?\nHow plants turn light into chemical energy.\n",
        "Photosynthesis",
        "light",
    ),
    (
        "table-translation-and-explanation",
        "| English | 中文 | 说明 |\n|---|---|---|\n"
        "| Epoch | 轮次 | 完整遍历一次训练集 |\n| Batch | 批次 | 一次迭代使用的样本 |\n",
        "Epoch",
        "完整遍历一次训练集",
    ),
    (
        "heading-noun-phrase",
        "### P-value\n\nThe probability of data at least this extreme.\n",
        "P-value",
        "probability",
    ),
    (
        "heading-relative-opening",
        "# ML terms\n\n### Gradient descent\n\nAn optimization method that follows the slope down.\n\n"
        "### Overfitting\n\nWhen a model learns noise in the training data and fails on new data.\n",
        "Overfitting",
        "learns noise",
    ),
    (
        "heading-glossary-of-instructions",
        "# Layers\n\n### Pooling\n\nReduce the size of a feature map.\n\n### Flatten\n\n"
        "Turn a feature map into one vector.\n\n### Dense\n\nConnect every input to every output.\n",
        "Flatten",
        "one vector",
    ),
    ("name-line", "Notes\n\nLatency\nThe time one packet takes to arrive.\n", "Latency", "one packet"),
    ("name-line-zh", "三次握手\n客户端和服务器建立连接的过程，交换三个报文。\n", "三次握手", "交换三个报文"),
    # hyphenated terms are never split
    (
        "hyphen-term",
        "- **One-hot encoding**: a vector with a single 1 for the category.\n",
        "One-hot encoding",
        "single 1",
    ),
    (
        "hyphen-kmeans",
        "K-means: clustering by the nearest of k centres.\n",
        "K-means",
        "nearest of k centres",
    ),
]


@pytest.mark.parametrize(("form", "text", "front", "phrase"), FORMS, ids=[row[0] for row in FORMS])
def test_form_makes_its_card(form: str, text: str, front: str, phrase: str) -> None:
    cards = _cards(text)
    assert front in cards, f"{form}: {cards}"
    assert phrase in cards[front]


NOT_CARDS = [
    (
        "article-step-with-a-remark",
        "# 原理\n\n这是一篇文章。它讲得很细。读者会看懂。\n\n它分几步。每步都重要。别跳过。\n\n"
        "1. 结果反馈（可选）：用户不满意时可以反馈。\n2. 向量化（Embedding）：把文本变成向量。\n",
        {"结果反馈（可选）", "结果反馈"},
    ),
    (
        "examples-only",
        "- 文本分类：例如情感分析、主题分类\n- Sorting: e.g. quicksort, mergesort\n",
        {"文本分类", "Sorting"},
    ),
    (
        "hyphen-not-split",
        "- One-hot encoding turns a category into a vector.\n- T-SNE projects points to 2-D.\n",
        {"One", "T"},
    ),
    (
        "comma-sentence",
        "In practice, this works well.\n\nWhen the cache is cold, reads are slow.\n",
        {"In practice", "When the cache is cold"},
    ),
    (
        "placeholders",
        "**Regularisation**\nTODO\n\n**正则化**\n待补充\n\n**Pruning**\nBe the first to contribute!\n",
        {"Regularisation", "正则化", "Pruning"},
    ),
    (
        "toc",
        "## Table of Contents\n\n- [Intro](#intro)\n- [Terms](#terms)\n",
        {"Table of Contents", "Intro", "Terms"},
    ),
    (
        "link-list",
        "## Resources\n\n- [Papers](https://example.org/papers)\n- [Course](https://example.org/course)\n",
        {"Resources", "Papers", "Course"},
    ),
    (
        "front-matter",
        "---\ntitle: My notes\ntags:\n  - ml\n---\n\n**Epoch**: one pass over the data.\n",
        {"title", "tags", "---"},
    ),
    (
        "licence",
        "<!-- Copyright 2024 Someone. Licensed under the MIT License. -->\n\n"
        "**Epoch**: one pass over the data.\n",
        {"Copyright 2024 Someone"},
    ),
    ("code", "```yaml\nname: value\nkey: other\n```\n\n    indented: code\n", {"name", "key", "indented"}),
    ("components", '<Tip>\n\nUse a GPU.\n\n</Tip>\n\n<Youtube id="abc"/>\n', {"Tip", "Youtube"}),
    ("letter-headings", "## A\n\n### A-Z\n\n**Adam**\nAn adaptive optimiser.\n", {"A", "A-Z"}),
    (
        "chapter-title-in-article",
        "# Guide\n\n## Why caching matters\n\n"
        "Many systems are slow. Caches help a lot. We will see why.\n\n## Summary\n\n"
        "Caches are useful. Use them wisely. They are cheap.\n",
        {"Why caching matters", "Summary"},
    ),
    (
        "table-header-labels",
        "| Protocol | What it does for you |\n|---|---|\n"
        "| Quorum | The minimum number of votes to decide. |\n"
        "| Lease | A lock that expires on its own after a set time. |\n",
        {"Protocol"},
    ),
    (
        "callout-warning-and-untitled",
        "# Notes\n\n> [!warning] Don't train on the test set\n> It leaks the answers into the model.\n\n"
        "> [!NOTE]\n> Normalise: scale the inputs first.\n\n"
        "> [!summary] Summary\n> We covered overfitting.\n",
        {"Don't train on the test set", "NOTE", "[!NOTE]", "Summary"},
    ),
    (
        "wikilink-list",
        "## Networking\n\nRelated: [[TCP]], [[UDP]], [[Routing|routes]]\n",
        {"Related"},
    ),
    (
        "outline-topic-alone-or-of-names",
        "- Week 1\n  - Read the first chapter before the lecture on Monday.\n\n- Frameworks\n  - Django\n"
        "  - Flask\n- Languages\n  - Python\n",
        {"Week 1", "Frameworks", "Languages"},
    ),
    (
        "toggle-without-text",
        "<details>\n<summary>Click to expand</summary>\n\n![diagram](d.png)\n\n</details>\n",
        {"Click to expand"},
    ),
    (
        "multiple-choice",
        "# 练习\n\n1. 下列哪个是传输层协议？\n   A. TCP\n   B. IP\n\n2. 以下哪项属于应用层？ A. DNS B. ARP\n",
        {"下列哪个", "下列哪个是传输层协议", "以下哪项属于应用层"},
    ),
    (
        "heading-lone-item-not-a-definition",
        "# 笔记\n\n## 参考资料\n- 《深度学习》花书第三章\n\n## TODO\n- 补充正则化的内容\n\n"
        "## Setup\n- Install Python 3.11 and run the installer.\n\n## 链接\n- [教程](https://x.y)\n\n"
        "## 二、简答题\n\n1. TCP和UDP的区别？\n   TCP面向连接、可靠；UDP无连接。\n",
        {"参考资料", "TODO", "Setup", "链接", "简答题"},
    ),
    (
        "answer-under-a-question-heading",
        "# 面试题\n\n## 2. L1 和 L2 正则化的区别？\n\nL1 产生稀疏解，L2 使权重趋向于小值。\n",
        {"L1 产生稀疏解", "L1"},
    ),
    (
        "decorated-label",
        "> 📌 小贴士：先用小数据集跑通流程。\n\n👉 温馨提示：保存好检查点。\n",
        {"📌 小贴士", "小贴士", "👉 温馨提示"},
    ),
    (
        "heading-over-a-list-that-is-no-definition",
        "# Transformers\n\n## Attention\n\nA mechanism that weighs the input by relevance.\n\n"
        "## Advantages\n- Training is parallel across positions.\n"
        "- Long-range dependencies are easy to learn.\n\n"
        "## Resources for More Terms\n- [Papers With Code Glossary](https://x.y)\n"
        "- [ML Glossary](https://y.z)\n\n"
        "## 优点\n- 训练可以并行进行\n- 容易学习长距离依赖\n",
        {"Advantages", "Resources for More Terms", "优点"},
    ),
    (
        "homework-zh",
        "## 损失函数\n\n衡量预测值与真实值之间差距的函数。\n\n## 学习率\n\n每一步更新参数的步长。\n\n"
        "## 过拟合\n\n模型记住了训练数据的噪声。\n\n## 作业\n\n请完成第三章的练习 1-5，下周一前提交。\n\n"
        "## 拓展\n\n尝试用两种学习率训练同一个模型。\n",
        {"作业", "拓展"},
    ),
    (
        "task-headings",
        "## Setup\n\nInstall Python and run the installer.\n\n## Usage\n\nRun it on a file.\n",
        {"Setup", "Usage"},
    ),
    (
        "homework-heading-in-a-lecture",
        "# Lecture 3\n\n## Quicksort\n\nQuicksort is a divide-and-conquer sort.\n\n## Mergesort\n\n"
        "Mergesort splits the array in halves and merges them.\n\n## Heapsort\n\n"
        "A sort that builds a heap.\n\n## Homework\n\nImplement both sorts and time them.\n",
        {"Homework"},
    ),
    (
        "story-under-a-heading",
        "# Report\n\n## Results\n\nWhen we ran the tests again, all of them passed.\n",
        {"Results"},
    ),
    (
        "why-question",
        "## Why do we sample?\n\nBecause measuring everyone costs too much.\n",
        {"Why do we sample?", "sample"},
    ),
    (
        "comparison-table",
        "| 模型 | 参数量 | 发布时间 |\n|---|---|---|\n| GPT-3 | 175B | 2020 |\n| LLaMA | 65B | 2023 |\n",
        {"GPT-3"},
    ),
    (
        "two-column-comparison",
        "| Pros | Cons |\n|---|---|\n| fast | memory hungry |\n| simple | slow to start |\n",
        {"fast", "simple"},
    ),
    (
        "two-column-numbers",
        "| 模型 | 参数量 |\n|---|---|\n| GPT-3 | 175B |\n| LLaMA | 65 B |\n",
        {"GPT-3", "LLaMA"},
    ),
    (
        "two-column-figures",
        "| Year | Users |\n|---|---|\n| 2020 | 1,000 |\n| 2021 | 2,500 |\n",
        {"2020", "2021"},
    ),
    (
        "comparison-question-zh",
        "## 进程和线程的区别是什么？\n\n一个有独立内存，一个共享内存。\n",
        {"进程和线程的区别", "一个有独立内存"},
    ),
    (
        "comparison-question-en",
        "## What is the difference between TCP and UDP?\n\nOne is reliable.\n",
        {"difference between TCP and UDP"},
    ),
    (
        "wrapped-prose",
        "We use caching\nBecause it is fast and cheap.\n\nHello there\nthis goes on.\n",
        {"We use caching", "Hello there"},
    ),
    (
        "toc-in-prose",
        "本文讲这些：\n\n1. RAG 是什么、为什么需要它；\n2. Embedding 是什么；\n",
        {"RAG", "Embedding"},
    ),
    (
        "licence-line",
        "SPDX-License-Identifier: MIT\n\nCopyright: 2024 Someone\n",
        {"SPDX-License-Identifier", "Copyright"},
    ),
    ("obsidian-tag-title", "#flashcards/biology\n\nOsmosis :: movement of water.\n", {"flashcards/biology"}),
    (
        "label-sub-bullets",
        "- Isotope: atoms of one element with different neutron counts.\n"
        "  * Example: carbon-12 and carbon-14.\n  * **Note:** they behave alike.\n"
        "  * E.g.: uranium-235.\n  * Tip – look at the mass number.\n",
        {"Example", "Note", "E.g.", "Tip"},
    ),
    (
        "label-sub-bullets-zh",
        "- 同位素：质子数相同、中子数不同的原子。\n  - 例如：碳-12 和碳-14。\n  - 注意：化学性质相同。\n"
        "  - 说明：又叫同位元素。\n",
        {"例如", "注意", "说明"},
    ),
    (
        "label-paragraphs",
        "Photon: a particle of light.\n\nExample: a laser beam.\n\n提示：没有质量。\n",
        {"Example", "提示"},
    ),
    (
        "redirect",
        "## Terms\n\n### autoencoder\n\nSee [encoder models](#encoder).\n\n### batch\n\n"
        "The examples used in one step.\n\n### bias\n\nA constant added to the input.\n\n### beam\n\n"
        "A decoding search.\n",
        {"autoencoder"},
    ),
]


@pytest.mark.parametrize(("form", "text", "fronts"), NOT_CARDS, ids=[row[0] for row in NOT_CARDS])
def test_noise_is_no_card(form: str, text: str, fronts: set[str]) -> None:
    extraction = extract(text, "notes.md")
    made = {card.front for card in extraction.cards}
    assert not made & fronts, f"{form}: {made}"
    assert all(skip.reason for skip in extraction.skipped)


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("---\ntitle: 'Networking terms'\n---\n\n**MTU**: largest packet size.\n", "Networking terms"),
        ("# 📖 Databases\n\n**Index**: speeds up lookups.\n", "Databases"),
        ('<h1 align="center">网络术语</h1>\n\n**带宽**：单位时间传输的数据量。\n', "网络术语"),
        ("Operating systems\n\n**Kernel**: the core of the OS.\n", "Operating systems"),
        ("Title\n=====\n\n**Kernel**: the core of the OS.\n", "Title"),
        ("## 常用名词\n\n| 名词 | 解释 |\n|---|---|\n| 召回 | 找出相关结果 |\n", "常用名词"),
        (
            H1_TERMS,
            None,
        ),
    ],
)
def test_title_is_the_documents_own(text: str, title: str | None) -> None:
    assert extract(text, "0123_9fda27f9badf5157.md").title == title


def test_one_card_per_term_and_duplicates_are_reported() -> None:
    text = "**Cache**: a fast store in front of a slow one.\n\nA cache is a small memory.\n"
    extraction = extract(text, "n.md")
    assert [card.front for card in extraction.cards] == ["Cache"]
    assert any("duplicate" in skip.reason for skip in extraction.skipped)


def test_tags_are_the_enclosing_section_headings_not_term_headings() -> None:
    text = (
        "# Notes\n\n## Activations\n\n### ReLU\n\nReLU is a function that keeps positives.\n\n"
        "- **GELU**: a smooth ReLU.\n"
    )
    cards = {card.front: card for card in extract(text, "n.md").cards}
    assert cards["GELU"].tags == ("Activations",)
    assert cards["ReLU"].tags == ("Activations",)


def test_a_column_that_numbers_the_rows_is_left_off_the_cards() -> None:
    text = (
        "| 序号 | 术语 | 解释 |\n|---|---|---|\n"
        "| 1 | 路由器 | 在网络层转发分组的设备 |\n| 2 | 交换机 | 在数据链路层转发帧的设备 |\n"
    )
    assert _cards(text) == {"路由器": "在网络层转发分组的设备", "交换机": "在数据链路层转发帧的设备"}
    year = (
        "| Model | Description | Year |\n|---|---|---|\n"
        "| BERT | An encoder trained on masked words. | 2018 |\n"
        "| GPT-2 | A decoder trained to predict the next word. | 2019 |\n"
    )
    assert _cards(year)["BERT"].endswith("Year: 2018")  # years are not row numbers


def test_plain_text_columns_split_by_tabs_are_terms_and_explanations() -> None:
    text = "数据库\n\n主键\t唯一标识一条记录的属性组\n外键\t\t引用另一张表主键的属性\n\nnote\tone tab alone\n"
    extraction = extract(text, "notes.txt")
    cards = {card.front: (card.back, card.source) for card in extraction.cards}
    assert cards == {
        "主键": ("唯一标识一条记录的属性组", "notes.txt:3"),
        "外键": ("引用另一张表主键的属性", "notes.txt:4"),
    }  # a tab in one line alone may be anything


def test_a_part_of_speech_tag_is_not_part_of_the_term() -> None:
    text = (
        "- confidence interval (n.): a range that likely holds the true value.\n"
        "- **p-value** (*abbr.* p): the chance of a result this extreme under the null hypothesis.\n"
        "- record (n. / v.): a row of a table; to write one down.\n"
    )
    cards = extract(text, "notes.md").cards
    assert [(card.id, card.front) for card in cards] == [
        ("confidence-interval", "confidence interval"),
        ("p-value", "p-value (p)"),
        ("record", "record"),
    ]


def test_forms_are_counted() -> None:
    text = (
        "| Term | Definition |\n|---|---|\n| A1 | first row |\n| B2 | second row |\n\n"
        "**Heap**\nA memory region.\n"
    )
    assert dict(extract(text, "n.md").forms) == {"table": 2, "bold": 1}


def test_plain_text_notes_are_normalised() -> None:
    text = (
        "Notes\n\n  • 缓存：快速的存储层\n  • 索引：加快查找的数据结构\n\n"
        "分词⚓︎\n\n分词是把句子切成词的过程。\n\n    续行不是代码，是说明。\n"
    )
    extraction = extract(text, "notes.txt")
    cards = {card.front: card.back for card in extraction.cards}
    assert cards["缓存"] == "快速的存储层"
    assert "切成词" in cards["分词"]
    assert all(skip.reason != "code block" for skip in extraction.skipped)


def test_h1_per_term_are_cards_not_a_title() -> None:
    text = H1_TERMS
    assert set(_cards(text)) == {"Heap", "Stack", "Queue"}


def test_an_article_defines_at_the_start_of_a_section_only() -> None:
    text = (
        "# Networks\n\nThey are everywhere. We look at how they learn. The maths stays light.\n\n"
        "## How they learn\n\nA neural network is a function with many parameters. Training tunes them.\n\n"
        "It starts random. Then it improves. A loss is a number that says how wrong it is.\n"
    )
    assert set(_cards(text)) == {"neural network"}


def test_long_glossary_entries_are_not_mistaken_for_an_article() -> None:
    text = (
        "# Glossary\n\nLatency: The time a request waits. It includes queueing and network time.\n\n"
        "Throughput: The requests served per second. It depends on the slowest stage.\n\n"
        "Jitter: The variation in latency. High jitter hurts calls.\n"
    )
    assert set(_cards(text)) == {"Latency", "Throughput", "Jitter"}


def test_heading_decoration_is_not_part_of_a_term_or_tag() -> None:
    text = "## 📚 Terms:\n\n### 🧠 Overfitting:\n\nOverfitting is when a model learns the noise.\n"
    (card,) = extract(text, "n.md").cards
    assert (card.front, card.tags) == ("Overfitting", ("Terms",))


@pytest.mark.parametrize(
    "text",
    [
        "Operating Systems — revision notes\n\nKernel: the core of the OS.\n\nProcess: a running program.\n",
        "操作系统 —— 复习笔记\n\n内核：管理硬件的核心程序。\n\n进程：正在运行的程序。\n",
        # a sibling of its shape that ends as a sentence, as entries do and titles don't
        "Operating Systems — revision notes\n\nKernel: the core of the OS.\n\nRound robin – fixed turns.\n",
    ],
)
def test_a_plain_text_first_line_shaped_like_a_pair_is_the_title(text: str) -> None:
    extraction = extract(text, "os-notes.txt")
    first_line = text.partition("\n")[0]
    assert extraction.title == first_line
    assert len(extraction.cards) == 2
    assert first_line.split()[0] not in {card.front for card in extraction.cards}


@pytest.mark.parametrize(
    "text",
    [
        "Kernel – the core of the OS\n\nProcess – a running program\n",  # siblings of its shape
        "Kernel – the core of the OS.\n\nProcess: a running program.\n",  # ends as a sentence
        "Kernel – the core of the OS\n",  # the whole note
    ],
)
def test_a_first_line_that_is_an_entry_stays_a_card(text: str) -> None:
    extraction = extract(text, "os-notes.txt")
    assert extraction.title is None
    assert "Kernel" in {card.front for card in extraction.cards}


def test_a_plain_text_title_names_the_deck(tmp_path: Path) -> None:
    notes = tmp_path / "os-notes.txt"
    notes.write_text("Operating Systems — revision notes\n\nKernel: the core of the OS.\n", encoding="utf-8")
    ((deck, _extraction),) = build_decks([notes])
    assert deck.name == "Operating Systems — revision notes"
    assert [card.front for card in deck.cards] == ["Kernel"]


def test_a_labelled_remark_under_a_definition_joins_its_back() -> None:
    cards = _cards("- Isotope: atoms with different neutron counts.\n  * Example: carbon-12 and carbon-14.\n")
    assert cards == {"Isotope": "atoms with different neutron counts.\n- Example: carbon-12 and carbon-14."}


def test_a_label_word_as_a_glossary_heading_is_still_a_term() -> None:
    assert "Warning" in _cards("### Warning\n\nA message that says something may go wrong.\n")
