// A request body as a stream: exactly Content-Length bytes, or chunks up to the last one and its
// trailers, never a byte of the next request. The whole body must arrive before a deadline that
// grows only with the bytes received, so a client trickling bytes cannot hold a worker for long;
// a body may also be drained (read and dropped) so that the connection can carry the next
// request after an early answer.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <streambuf>

#include "http_connection.h"
#include "http_head.h"

namespace broker::server {

struct BodyLimits {
  std::chrono::seconds timeout{60};         ///< for the whole body, from the end of the head
  std::uint64_t minBytesPerSecond = 65536;  ///< each such many bytes received add a second
  std::size_t maxLineBytes = 4096;          ///< a chunk-size line or a trailer line
  std::size_t maxTrailerBytes = 32 * 1024;
};

class BodyReader final : public std::streambuf {
 public:
  /// `beforeFirstRead` runs once, before the first byte is awaited (to send 100 Continue).
  BodyReader(Connection& connection, const RequestHead& head, BodyLimits limits,
             std::function<void()> beforeFirstRead);

  /// Whether every byte of the body has been taken off the connection.
  bool complete() const { return state_ == State::kDone; }
  /// Whether reading failed (bad framing, timeout, closed): the connection is unusable.
  bool failed() const { return error_.has_value(); }
  /// Whether anything was read (so a 100 Continue has gone out).
  bool started() const { return started_; }
  /// Bytes of a Content-Length body not yet taken off the connection; nullopt when chunked.
  std::optional<std::uint64_t> remaining() const;

  /// Reads and drops the rest of the body. False when that would take more than `maxBytes`
  /// more bytes, or reading failed: the connection must then be closed.
  bool drain(std::uint64_t maxBytes);

 protected:
  int_type underflow() override;

 private:
  enum class State { kData, kChunkSize, kChunkData, kChunkEnd, kTrailers, kDone };

  // Copies up to `max` body bytes to `out`; 0 at the end. Throws ProtocolError.
  std::size_t next(char* out, std::size_t max);
  std::size_t nextGuarded(char* out, std::size_t max);
  std::string takeLine();
  void fill();

  Connection& connection_;
  BodyLimits limits_;
  std::function<void()> beforeFirstRead_;
  State state_;
  std::uint64_t left_ = 0;  // of the body (kData) or of the chunk (kChunkData)
  std::uint64_t received_ = 0;
  std::size_t trailerBytes_ = 0;
  EdgeClock::time_point startedAt_;
  bool started_ = false;
  std::optional<ProtocolError> error_;
  char buffer_[16 * 1024];
};

}  // namespace broker::server
