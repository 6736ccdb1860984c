// The HTTP transport on POCO's client: a pool of kept-alive sessions per scheme://host:port,
// bounded, each reused only when it has been idle briefly and its server has not closed it;
// gzip and deflate answers inflated; bodies streamed to and from files; one deadline for the
// whole exchange. A request is sent once: the transport never repeats one (the broker's retry
// policy decides, and only for idempotent requests).
//
// Servers close kept-alive connections that stay idle (Node and Apache after 5 s, gunicorn
// after 2 s), and a request written to one they have closed fails, a large write mid-body. So
// a session idle for more than kIdleReuseLimit, or whose socket is readable (the server's FIN),
// is dropped and the request goes out on a new connection.
#include <Poco/Exception.h>
#include <Poco/InflatingStream.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <vector>

#include "broker/core/error.h"
#include "broker/core/text.h"
#include "broker/odata/http.h"
#include "request_target.h"
#include "tls_context.h"

namespace broker::odata {
namespace {

using Clock = std::chrono::steady_clock;
using Poco::Net::HTTPClientSession;

constexpr auto kIdleReuseLimit = std::chrono::seconds(1);
constexpr std::size_t kMaxIdlePerOrigin = 64;
constexpr std::size_t kChunk = 64 * 1024;
// Inflation ratios are judged past this many inflated bytes: small bodies compress oddly.
constexpr std::uint64_t kRatioFloor = 1 << 20;

std::string limitName(bool download) {
  return download ? "maxStreamBytes" : "maxUpstreamResponseBytes";
}

bool hasBody(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "MERGE";
}

// Passes a stream through, counting its bytes: a body shorter than its Content-Length (the
// server closed early) must be told from a whole one, gzip or not.
class CountingStreamBuf final : public std::streambuf {
 public:
  explicit CountingStreamBuf(std::istream& in) : in_(in) {}
  std::uint64_t count() const { return count_; }

 protected:
  int_type underflow() override {
    in_.read(buffer_, sizeof buffer_);
    const auto got = in_.gcount();
    if (got <= 0) return traits_type::eof();
    count_ += static_cast<std::uint64_t>(got);
    setg(buffer_, buffer_, buffer_ + got);
    return traits_type::to_int_type(buffer_[0]);
  }

 private:
  std::istream& in_;
  std::uint64_t count_ = 0;
  char buffer_[kChunk];
};

Poco::Timespan timespan(Clock::duration duration) {
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(duration).count();
  return Poco::Timespan(std::max<std::int64_t>(micros, 1000));
}

class PocoTransport final : public HttpTransport {
 public:
  explicit PocoTransport(TransportOptions options)
      : options_(std::move(options)), tls_(makeTlsContext(options_)) {}

  HttpResponse send(const HttpRequest& request) override {
    const Clock::time_point start = Clock::now();
    const auto elapsed = [&] {
      return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    };
    try {
      HttpResponse response = follow(request);
      RequestInspection::record(request, &response, "", elapsed());
      return response;
    } catch (const TransportError& e) {
      RequestInspection::record(request, nullptr, e.what(), elapsed());
      throw;
    }
  }

 private:
  HttpResponse follow(const HttpRequest& request) {
    const Clock::time_point deadline = Clock::now() + options_.timeout;
    HttpRequest current = request;
    for (int redirects = 0;; ++redirects) {
      const Target target = parseTarget(current.url);
      HttpResponse response = sendOnce(target, current, deadline);
      const auto location = response.header("Location");
      if (!isRedirect(response.status) || !location) return response;
      const std::string next = resolveLocation(target, *location);
      const auto refuse = [&](const std::string& why) {
        return TransportError(TransportError::Kind::kRedirect,
                              current.method + " " + current.url + " was redirected (" +
                                  std::to_string(response.status) + ") to " + next + ": " + why);
      };
      Target moved;
      try {
        moved = parseTarget(next);
      } catch (const TransportError&) {
        throw refuse("not an http(s) URL the broker can follow");
      }
      if (moved.origin != target.origin) {
        throw refuse(
            "another origin, which the broker does not send this instance's credentials to; if "
            "the service moved, change its serviceUrl");
      }
      if (current.method != "GET" && current.method != "HEAD") {
        throw refuse("the broker follows redirects of reads only");
      }
      if (redirects == kMaxRedirects) throw refuse("more than 5 redirects");
      current.url = next;
    }
  }

  static constexpr int kMaxRedirects = 5;

  static bool isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  HttpResponse sendOnce(const Target& target, const HttpRequest& request,
                        Clock::time_point deadline) {
    std::unique_ptr<HTTPClientSession> session = acquire(target);
    try {
      HttpResponse response = exchange(*session, target, request, deadline);
      // The session knows its proxy; the noProxy list is consulted once, when it is made.
      response.viaProxy = !target.https && !session->getProxyHost().empty();
      if (response.status == 407) {
        const config::ProxyUrl* proxy = proxyFor(target);
        throw TransportError(
            TransportError::Kind::kProxy,
            proxy == nullptr
                ? "the service answered 407 (Proxy Authentication Required), but this broker "
                  "sends its requests to " +
                      target.origin + " without a proxy"
                : "the proxy " + proxy->display() +
                      " refused the request (407 Proxy "
                      "Authentication Required)" +
                      proxyHint(*proxy));
      }
      if (session->connected()) release(target, std::move(session));
      return response;
    } catch (const TransportError&) {
      throw;
    } catch (const Poco::TimeoutException&) {
      throw TransportError(TransportError::Kind::kTimeout,
                           request.method + " " + request.url + " timed out after " +
                               std::to_string(options_.timeout.count()) + " s");
    } catch (const Poco::Net::SSLException& e) {
      throw TransportError(TransportError::Kind::kTls,
                           request.method + " " + request.url + ": " + e.displayText());
    } catch (const Poco::Net::HTTPException& e) {
      // POCO's CONNECT through a proxy that would not open the tunnel.
      const config::ProxyUrl* proxy = proxyFor(target);
      if (proxy == nullptr) {
        throw TransportError(TransportError::Kind::kConnection,
                             request.method + " " + request.url + ": " + e.displayText());
      }
      throw TransportError(TransportError::Kind::kProxy,
                           "the proxy " + proxy->display() + " would not open a tunnel to " +
                               target.host + ":" + std::to_string(target.port) + " (" +
                               e.message() + ")" + proxyHint(*proxy));
    } catch (const Poco::Exception& e) {
      throw TransportError(TransportError::Kind::kConnection,
                           request.method + " " + request.url + ": " + e.displayText());
    } catch (const std::ios_base::failure& e) {
      throw TransportError(TransportError::Kind::kConnection,
                           request.method + " " + request.url + ": " + e.what());
    }
  }

  static std::string proxyHint(const config::ProxyUrl& proxy) {
    return proxy.username.empty()
               ? "; give the proxy's credentials (auth.proxyUsername and auth.proxyPassword, or "
                 "the user and password of the proxy URL)"
               : "; check the proxy's user name and password";
  }

  struct Idle {
    std::unique_ptr<HTTPClientSession> session;
    Clock::time_point since;
  };

  HttpResponse exchange(HTTPClientSession& session, const Target& target,
                        const HttpRequest& request, Clock::time_point deadline) {
    const auto left = [&deadline, &request, this] {
      const auto remaining = deadline - Clock::now();
      if (remaining <= Clock::duration::zero()) {
        throw TransportError(TransportError::Kind::kTimeout,
                             request.method + " " + request.url + " timed out after " +
                                 std::to_string(options_.timeout.count()) + " s");
      }
      return timespan(remaining);
    };
    session.setTimeout(left(), left(), left());
    Poco::Net::HTTPRequest message(request.method, target.path, Poco::Net::HTTPMessage::HTTP_1_1);
    bool acceptEncoding = false;
    for (const Header& header : request.headers) {
      message.add(header.name, header.value);
      acceptEncoding = acceptEncoding || core::equalsIgnoreCase(header.name, "Accept-Encoding");
    }
    if (!acceptEncoding) message.set("Accept-Encoding", "gzip, deflate");
    std::ifstream file;
    if (!request.bodyFile.empty()) {
      file.open(request.bodyFile, std::ios::binary);
      if (!file) {
        throw TransportError(TransportError::Kind::kConnection,
                             "cannot read the upload file '" + request.bodyFile + "'");
      }
      message.setContentLength64(
          static_cast<Poco::Int64>(std::filesystem::file_size(request.bodyFile)));
    } else if (!request.body.empty() || hasBody(request.method)) {
      message.setContentLength64(static_cast<Poco::Int64>(request.body.size()));
    }
    std::ostream& out = session.sendRequest(message);
    if (file.is_open()) {
      std::vector<char> buffer(kChunk);
      while (file.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) ||
             file.gcount() > 0) {
        out.write(buffer.data(), file.gcount());
        session.socket().setSendTimeout(left());
      }
    } else if (!request.body.empty()) {
      out.write(request.body.data(), static_cast<std::streamsize>(request.body.size()));
    }
    out.flush();
    if (!out) throw Poco::IOException("the request body could not be written");

    Poco::Net::HTTPResponse answer;
    session.socket().setReceiveTimeout(left());
    std::istream& raw = session.receiveResponse(answer);
    HttpResponse response;
    response.status = static_cast<int>(answer.getStatus());
    for (const auto& [name, value] : answer) response.headers.push_back({name, value});
    readBody(session, answer, raw, request, response, left);
    if (!answer.getKeepAlive()) session.reset();
    return response;
  }

  template <typename Left>
  void readBody(HTTPClientSession& session, const Poco::Net::HTTPResponse& answer,
                std::istream& raw, const HttpRequest& request, HttpResponse& response,
                const Left& left) {
    const std::string encoding(core::trim(answer.get("Content-Encoding", "")));
    CountingStreamBuf counting(raw);
    std::istream wire(&counting);
    std::unique_ptr<std::istream> inflated;
    if (core::equalsIgnoreCase(encoding, "gzip") || core::equalsIgnoreCase(encoding, "x-gzip")) {
      inflated =
          std::make_unique<Poco::InflatingInputStream>(wire, Poco::InflatingStreamBuf::STREAM_GZIP);
    } else if (core::equalsIgnoreCase(encoding, "deflate")) {
      inflated =
          std::make_unique<Poco::InflatingInputStream>(wire, Poco::InflatingStreamBuf::STREAM_ZLIB);
    }
    std::istream& in = inflated ? *inflated : wire;
    std::ofstream file;
    if (!request.responseFile.empty()) {
      file.open(request.responseFile, std::ios::binary | std::ios::trunc);
      if (!file) {
        throw TransportError(TransportError::Kind::kConnection,
                             "cannot write the download file '" + request.responseFile + "'");
      }
    } else if (!inflated && answer.hasContentLength()) {
      // Room for the readers' padding too (simdjson reads past the end), so the body is
      // never copied again to add it.
      response.body.reserve(static_cast<std::size_t>(std::min<Poco::Int64>(
                                answer.getContentLength64(), Poco::Int64{1} << 24)) +
                            64);
    }
    const std::uint64_t limit =
        file.is_open() ? options_.maxDownloadBytes : options_.maxResponseBytes;
    const auto tooLarge = [&](const std::string& what) {
      return TransportError(TransportError::Kind::kTooLarge,
                            request.method + " " + request.url + ": " + what);
    };
    if (answer.hasContentLength() && !inflated &&
        static_cast<std::uint64_t>(answer.getContentLength64()) > limit) {
      throw tooLarge("the answer's Content-Length " + std::to_string(answer.getContentLength64()) +
                     " is over the limit of " + std::to_string(limit) + " bytes (setting " +
                     limitName(file.is_open()) + ")");
    }
    std::vector<char> buffer(file.is_open() ? kChunk : 0);
    std::uint64_t total = 0;
    for (;;) {
      session.socket().setReceiveTimeout(left());
      std::size_t got = 0;
      if (file.is_open()) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        got = static_cast<std::size_t>(in.gcount());
        file.write(buffer.data(), static_cast<std::streamsize>(got));
      } else {
        // Straight into the body (one copy less than through a buffer), within the capacity
        // reserved from Content-Length while there is some, so the string never regrows.
        const std::size_t used = response.body.size();
        const std::size_t room = response.body.capacity() - used;
        const std::size_t want = room > 0 ? std::min(room, kChunk) : kChunk;
        response.body.resize(used + want);
        in.read(response.body.data() + used, static_cast<std::streamsize>(want));
        got = static_cast<std::size_t>(in.gcount());
        response.body.resize(used + got);
      }
      if (got == 0) break;
      total += got;
      // Checked as the bytes arrive: the transfer stops at the limit, not after it.
      if (total > limit) {
        throw tooLarge("the answer is larger than " + std::to_string(limit) + " bytes (setting " +
                       limitName(file.is_open()) + ")");
      }
      if (inflated && total > kRatioFloor &&
          total / std::max<std::uint64_t>(counting.count(), 1) > options_.maxInflationRatio) {
        throw tooLarge("the " + encoding + " answer inflates more than " +
                       std::to_string(options_.maxInflationRatio) +
                       " times its size (setting maxUpstreamInflationRatio)");
      }
    }
    const bool expectBody = request.method != "HEAD" && response.status >= 200 &&
                            response.status != 204 && response.status != 304;
    const std::uint64_t received = counting.count();
    if (in.bad() || (expectBody && answer.hasContentLength() &&
                     received < static_cast<std::uint64_t>(answer.getContentLength64()))) {
      throw Poco::IOException("the response body ended before its Content-Length (" +
                              std::to_string(received) + " of " +
                              std::to_string(answer.getContentLength64()) + " bytes)");
    }
    if (file.is_open() && !file.flush()) {
      throw TransportError(TransportError::Kind::kConnection,
                           "cannot write the download file '" + request.responseFile + "'");
    }
  }

  std::unique_ptr<HTTPClientSession> acquire(const Target& target) {
    {
      std::lock_guard lock(mutex_);
      std::vector<Idle>& idle = idle_[target.origin];
      const Clock::time_point now = Clock::now();
      while (!idle.empty()) {
        Idle entry = std::move(idle.back());
        idle.pop_back();
        // A readable idle socket means the server closed it (or broke the protocol).
        if (now - entry.since <= kIdleReuseLimit && entry.session->connected() &&
            !entry.session->socket().poll(Poco::Timespan(0), Poco::Net::Socket::SELECT_READ)) {
          return std::move(entry.session);
        }
      }
    }
    std::unique_ptr<HTTPClientSession> session;
    if (target.https) {
      session = std::make_unique<Poco::Net::HTTPSClientSession>(target.host, target.port, tls_);
    } else {
      session = std::make_unique<HTTPClientSession>(target.host, target.port);
    }
    if (const config::ProxyUrl* proxy = proxyFor(target)) {
      // POCO sends http requests to the proxy with absolute URIs and opens https tunnels with
      // CONNECT; Proxy-Authorization goes to the proxy only, never through the tunnel.
      session->setProxy(proxy->host, proxy->port);
      if (!proxy->username.empty()) session->setProxyCredentials(proxy->username, proxy->password);
    }
    session->setKeepAlive(true);
    return session;
  }

  const config::ProxyUrl* proxyFor(const Target& target) const {
    const std::optional<config::ProxyUrl>& proxy =
        target.https ? options_.proxy.https : options_.proxy.http;
    if (!proxy || config::bypassesProxy(options_.proxy.noProxy, target.host, target.port)) {
      return nullptr;
    }
    return &*proxy;
  }

  void release(const Target& target, std::unique_ptr<HTTPClientSession> session) {
    std::lock_guard lock(mutex_);
    std::vector<Idle>& idle = idle_[target.origin];
    if (idle.size() < kMaxIdlePerOrigin) idle.push_back({std::move(session), Clock::now()});
  }

  TransportOptions options_;
  Poco::Net::Context::Ptr tls_;
  std::mutex mutex_;
  std::map<std::string, std::vector<Idle>> idle_;
};

}  // namespace

std::shared_ptr<HttpTransport> makeHttpTransport(const TransportOptions& options) {
  return std::make_shared<PocoTransport>(options);
}

}  // namespace broker::odata
