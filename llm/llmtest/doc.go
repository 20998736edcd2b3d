// Package llmtest holds an in-process OpenAI-compatible chat-completions
// server for tests, with fault injection.
//
// Data flow:
//  1. NewServer starts an httptest server whose replies come from a Brain:
//     a Go function that sees only the request (messages, model, sampling
//     parameters, response format) and returns the reply text.
//  2. Point llm.Config.BaseURL at Server.URL; the llm package talks to it
//     through go-openai exactly as it would to OpenAI, vLLM or Ollama.
//  3. Inject queues faults; each chat request takes the next one: HTTP 429
//     with Retry-After, 500, slow replies, connection resets, malformed or
//     truncated bodies, empty choices, and content faults that spoil the
//     reply text (prose and broken brackets, a cut-off reply, unknown
//     categories, missing variables, wrong types).
//  4. Requests and Calls let a test check what the client sent.
package llmtest
