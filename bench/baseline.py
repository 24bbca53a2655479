"""The baseline for `make bench`: a plain LangChain tutorial RAG chain over the same article and model.

What the LangChain RAG tutorial builds: `RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)`,
a Chroma vector store (langchain-chroma, in memory) with the same MiniLM embeddings, similarity search top 4,
the tutorial's prompt ("You are an assistant for question-answering tasks…", as in hub rlm/rag-prompt) and
the same local chat model with the same answer-token limit. No hybrid search, no sentence selection, no
citations, no refusal gate: it is the time and answer quality a newcomer would get from the tutorial.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from langchain_core.embeddings import Embeddings
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import RunnablePassthrough

from rag.embedding import MiniLMEmbedder

TUTORIAL_PROMPT = ChatPromptTemplate.from_messages([("human", (
    "You are an assistant for question-answering tasks. Use the following pieces of retrieved context to "
    "answer the question. If you don't know the answer, just say that you don't know. Use three sentences "
    "maximum and keep the answer concise.\nQuestion: {question} \nContext: {context} \nAnswer:"))])


class MiniLMEmbeddings(Embeddings):
    """The project's MiniLM embedder behind LangChain's `Embeddings` interface (no cache: a plain setup)."""

    def __init__(self, embedder: MiniLMEmbedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [v.tolist() for v in self.embedder.embed_batch(texts)]

    def embed_query(self, text: str) -> list[float]:
        return list(self.embedder.embed_batch([text])[0].tolist())


class BaselineChain:
    """retriever | format | prompt | model | text, as in the tutorial; `ask` streams and times one answer."""

    def __init__(self, text: str, source: str, embedder: MiniLMEmbedder, model: Any) -> None:
        from langchain_chroma import Chroma
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
        docs = splitter.create_documents([text], metadatas=[{"source": source}])
        self.chunks = len(docs)
        self.store = Chroma(collection_name=f"baseline-{uuid.uuid4().hex[:8]}",
                            embedding_function=MiniLMEmbeddings(embedder))
        self.store.add_documents(docs)
        retriever = self.store.as_retriever(search_kwargs={"k": 4})
        self.chain = ({"context": retriever | (lambda found: "\n\n".join(d.page_content for d in found)),
                       "question": RunnablePassthrough()}
                      | TUTORIAL_PROMPT | model | StrOutputParser())

    def ask(self, question: str) -> dict[str, Any]:
        """The answer text, total and first-token seconds."""
        began = time.perf_counter()
        first = None
        pieces = []
        for piece in self.chain.stream(question):
            if piece and first is None:
                first = time.perf_counter() - began
            pieces.append(piece)
        total = time.perf_counter() - began
        return {"answer": "".join(pieces), "total_s": total, "first_token_s": first if first is not None else total}
