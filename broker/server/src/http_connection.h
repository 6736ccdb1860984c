// One accepted client connection of the HTTP edge: its non-blocking socket, the bytes read but
// not yet used (the rest of a head, a body, pipelined requests), and reads and writes that wait
// at most until a deadline. Owned by one thread at a time: the edge's poller while it waits for
// a request head, a worker while a request runs.
#pragma once

#include <Poco/Net/SocketAddress.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace broker::server {

using EdgeClock = std::chrono::steady_clock;

class Connection {
 public:
  enum class Read { kData, kWouldBlock, kClosed };

  /// Takes ownership of `fd` (non-blocking). `onClose` runs once when the connection is
  /// destroyed (the edge's connection counts).
  Connection(int fd, Poco::Net::SocketAddress peer, Poco::Net::SocketAddress local,
             std::function<void()> onClose);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  int fd() const { return fd_; }
  const Poco::Net::SocketAddress& peer() const { return peer_; }
  const Poco::Net::SocketAddress& local() const { return local_; }

  /// The bytes read and not yet consumed.
  std::string_view buffered() const { return std::string_view(in_).substr(start_); }
  void consume(std::size_t count);
  /// Frees the buffer's memory when it holds nothing (a connection going idle).
  void releaseBuffer();

  /// One read of what the socket has now, appended to the buffer.
  Read readAvailable();
  /// Waits until the socket is readable or `deadline` passes; false when it passed.
  bool waitReadable(EdgeClock::time_point deadline) const;
  /// Reads at least one byte, waiting until `deadline`. kWouldBlock means the deadline passed.
  Read readUntil(EdgeClock::time_point deadline);

  /// Writes all of `data`, waiting at most `timeout` each time the socket is not writable.
  /// Returns false when the peer is gone or does not read (the connection is then unusable).
  bool writeAll(std::string_view data, std::chrono::milliseconds timeout);
  /// Sends a FIN: no more responses on this connection.
  void shutdownWrite();

  // The edge's bookkeeping while the connection waits for its next request head.
  std::size_t headScanned = 0;     ///< see findHeadEnd
  EdgeClock::time_point deadline;  ///< for the head, the idle wait or the lingering close
  bool idle = false;               ///< kept alive with no byte of a next request yet
  bool closing = false;            ///< answered and half-closed: what comes is read and dropped
  std::uint64_t discarded = 0;     ///< bytes dropped while closing

 private:
  int fd_;
  Poco::Net::SocketAddress peer_;
  Poco::Net::SocketAddress local_;
  std::function<void()> onClose_;
  std::string in_;
  std::size_t start_ = 0;
  bool writeFailed_ = false;
};

}  // namespace broker::server
