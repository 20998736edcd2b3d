// Package llm is the contract for chat-completion calls (Client) and its
// implementation for any OpenAI-compatible server (Backend): OpenAI, Azure
// OpenAI, vLLM, Ollama, llama.cpp's server, LM Studio.
//
// Data flow of one Backend.Complete call:
//  1. The Request's unset sampling fields (temperature, top_p, max_tokens,
//     seed) are filled from the Config; the model defaults to llm.model.
//  2. Key hashes model, messages, sampling parameters, response format and
//     prompt template version. With llm.cache_mode read-write or replay the
//     Cache is asked for (key, occurrence): the n-th identical request of
//     a run gets the n-th stored reply. replay fails on a miss with
//     ErrReplayMiss and never contacts the server.
//  3. Otherwise the request waits for a concurrency slot and the
//     requests-per-minute limiter, and goes out through go-openai with the
//     strongest response format both asked for and supported
//     (json_schema, json_object, or prompt-only text). A server that
//     rejects response_format with HTTP 400 is asked again with a weaker one
//     and remembered as text-only.
//  4. 429, 5xx, timeouts, connection errors, truncated or malformed bodies
//     and empty choices are retried up to llm.retries times with exponential
//     backoff and jitter, never sooner than the server's Retry-After. No
//     wait is longer than llm.timeout or MaxRetryAfter (one minute): a
//     server asking for a longer Retry-After fails the call at once, with
//     the wait it asked for in the error.
//     Failures come back as *Error with a Kind; with a cache, a failure of a
//     retryable kind is recorded too, so that replay fails the same way (and
//     read-write asks again).
//  5. The reply (text, usage — estimated and flagged when the server gives
//     none —, latency, reported model) is stored in the cache, appended to
//     the transcript, and added to the run's Accounting (Stats).
//
// The API key is read once by Open from the variable named by
// llm.api_key_env and handed to go-openai; it is never written to an error,
// a log line, the cache, the transcript or Stats (server messages are
// redacted before they enter an error).
package llm
