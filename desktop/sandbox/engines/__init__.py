"""On-device engines behind the sandbox: speaker embeddings, digit reading, speech."""
