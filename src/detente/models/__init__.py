"""Language models for model seats: one client for any OpenAI-compatible server, an offline
in-process default (llama-cpp-python with SmolLM2-135M-Instruct), and a replay client that answers
from a recorded meeting. The heavy packages (`openai`, `llama_cpp`) are imported only when a client
is opened, so the base install works without the `model` extra."""
