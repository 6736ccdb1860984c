#include "http_body.h"

#include <algorithm>
#include <cstring>

namespace broker::server {

BodyReader::BodyReader(Connection& connection, const RequestHead& head, BodyLimits limits,
                       std::function<void()> beforeFirstRead)
    : connection_(connection),
      limits_(limits),
      beforeFirstRead_(std::move(beforeFirstRead)),
      state_(head.framing == BodyFraming::kChunked  ? State::kChunkSize
             : head.framing == BodyFraming::kLength ? State::kData
                                                    : State::kDone),
      left_(head.framing == BodyFraming::kLength ? head.contentLength : 0),
      startedAt_(EdgeClock::now()) {}

std::optional<std::uint64_t> BodyReader::remaining() const {
  if (state_ == State::kDone) return 0;
  if (state_ == State::kData) return left_;
  return std::nullopt;
}

BodyReader::int_type BodyReader::underflow() {
  if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
  const std::size_t got = nextGuarded(buffer_, sizeof buffer_);
  if (got == 0) return traits_type::eof();
  setg(buffer_, buffer_, buffer_ + got);
  return traits_type::to_int_type(*gptr());
}

bool BodyReader::drain(std::uint64_t maxBytes) {
  if (failed()) return false;
  if (const auto left = remaining(); left && *left > maxBytes) return false;
  std::uint64_t dropped = 0;
  try {
    while (!complete()) {
      dropped += nextGuarded(buffer_, sizeof buffer_);
      if (dropped > maxBytes) return false;
    }
  } catch (const ProtocolError&) {
    return false;
  }
  setg(buffer_, buffer_, buffer_);
  return true;
}

std::size_t BodyReader::nextGuarded(char* out, std::size_t max) {
  if (error_) throw *error_;  // a failed body never looks like a shorter one
  try {
    return next(out, max);
  } catch (const ProtocolError& e) {
    error_ = e;
    throw;
  }
}

std::size_t BodyReader::next(char* out, std::size_t max) {
  if (!started_ && state_ != State::kDone) {
    started_ = true;
    if (beforeFirstRead_) beforeFirstRead_();
  }
  for (;;) {
    switch (state_) {
      case State::kDone:
        return 0;
      case State::kData:
      case State::kChunkData: {
        if (connection_.buffered().empty()) fill();
        const std::string_view have = connection_.buffered();
        const std::size_t count =
            static_cast<std::size_t>(std::min<std::uint64_t>({have.size(), left_, max}));
        std::memcpy(out, have.data(), count);
        connection_.consume(count);
        left_ -= count;
        received_ += count;
        if (left_ == 0) state_ = state_ == State::kData ? State::kDone : State::kChunkEnd;
        return count;
      }
      case State::kChunkSize:
        left_ = parseChunkSize(takeLine());
        state_ = left_ == 0 ? State::kTrailers : State::kChunkData;
        break;
      case State::kChunkEnd:
        if (!takeLine().empty()) throw ProtocolError(400, "a chunk is longer than its size says");
        state_ = State::kChunkSize;
        break;
      case State::kTrailers: {
        const std::string line = takeLine();
        trailerBytes_ += line.size() + 2;
        if (trailerBytes_ > limits_.maxTrailerBytes) {
          throw ProtocolError(431, "the request's trailer fields are larger than " +
                                       std::to_string(limits_.maxTrailerBytes) + " bytes");
        }
        if (line.empty()) state_ = State::kDone;
        break;
      }
    }
  }
}

// One line of the chunked framing, without its CRLF (a bare LF is taken too).
std::string BodyReader::takeLine() {
  for (;;) {
    const std::string_view have = connection_.buffered();
    const std::size_t end = have.find('\n');
    if (end != std::string_view::npos) {
      std::string line(have.substr(0, end));
      connection_.consume(end + 1);
      received_ += end + 1;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.find('\r') != std::string::npos) {
        throw ProtocolError(400, "a line of the chunked body holds a bare CR");
      }
      return line;
    }
    if (have.size() > limits_.maxLineBytes) {
      throw ProtocolError(400, "a line of the chunked body is longer than " +
                                   std::to_string(limits_.maxLineBytes) + " bytes");
    }
    fill();
  }
}

void BodyReader::fill() {
  const auto allowance =
      limits_.timeout + std::chrono::seconds(received_ / limits_.minBytesPerSecond);
  switch (connection_.readUntil(startedAt_ + allowance)) {
    case Connection::Read::kData:
      return;
    case Connection::Read::kWouldBlock:
      throw ProtocolError(408, "the request body did not arrive in time (" +
                                   std::to_string(limits_.timeout.count()) +
                                   " s plus a second for each " +
                                   std::to_string(limits_.minBytesPerSecond) +
                                   " bytes; settings requestBodyTimeoutSeconds and "
                                   "minRequestBodyBytesPerSecond)");
    case Connection::Read::kClosed:
      throw ProtocolError(400, "the connection ended before the request body did");
  }
}

}  // namespace broker::server
