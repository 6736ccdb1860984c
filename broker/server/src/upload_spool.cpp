#include "upload_spool.h"

#include <cstring>
#include <fstream>

#include "broker/core/error.h"
#include "broker/core/text.h"

namespace broker::server {
namespace {

using core::Error;
using core::ErrorCode;

constexpr std::size_t kChunk = 64 * 1024;

// Tracks where in the JSON the scanner is: for each open object, the key of the member being
// read (empty while a key is expected), and whether a key is expected next.
struct Level {
  bool object = false;
  bool expectKey = false;
  std::string key;
};

class Spooler {
 public:
  Spooler(std::size_t maxJsonBytes, std::uint64_t maxStreamBytes, std::size_t maxDepth,
          std::size_t maxFiles)
      : maxJson_(maxJsonBytes),
        maxStream_(maxStreamBytes),
        maxDepth_(maxDepth),
        maxFiles_(maxFiles) {}

  void feed(std::string_view chunk) {
    std::size_t at = 0;
    while (at < chunk.size()) {
      if (spooling_) {
        at = spool(chunk, at);
        continue;
      }
      const char c = chunk[at++];
      if (inString_) {
        text_ += c;
        if (body_.json.size() + text_.size() > maxJson_) tooLarge();
        if (escaped_) {
          escaped_ = false;
        } else if (c == '\\') {
          escaped_ = true;
        } else if (c == '"') {
          inString_ = false;
          endString();
        }
        continue;
      }
      switch (c) {
        case '{':
          open(true);
          break;
        case '[':
          open(false);
          break;
        case '}':
        case ']':
          if (!levels_.empty()) levels_.pop_back();
          valueDone();
          break;
        case ',':
          if (!levels_.empty() && levels_.back().object) levels_.back().expectKey = true;
          break;
        case '"':
          if (startsContent()) {
            startSpool();
            continue;  // the string itself is not kept
          }
          inString_ = true;
          text_ = "\"";
          continue;  // appended when it ends
        default:
          break;
      }
      append(std::string_view(&c, 1));
    }
  }

  SpooledBody finish() {
    if (spooling_) {
      throw Error(ErrorCode::kInvalidArgument,
                  "the body ends inside the content of input '" + input_ + "'");
    }
    if (inString_) append(text_);  // unterminated: the JSON parser names the problem
    return std::move(body_);
  }

 private:
  void open(bool object) {
    if (levels_.size() == maxDepth_) {
      throw Error(ErrorCode::kInvalidArgument, "the body nests arrays and objects deeper than " +
                                                   std::to_string(maxDepth_) +
                                                   " levels (setting maxJsonDepth)");
    }
    levels_.push_back({object, object, {}});
  }

  void append(std::string_view text) {
    body_.json.append(text);
    if (body_.json.size() > maxJson_) tooLarge();
  }

  [[noreturn]] void tooLarge() const {
    throw Error(ErrorCode::kPayloadTooLarge,
                "the request body is larger than " + std::to_string(maxJson_) +
                    " bytes, file contents aside (setting maxBodyBytes)");
  }

  void endString() {
    append(text_);
    if (!levels_.empty() && levels_.back().object && levels_.back().expectKey) {
      // A member's name: as written (an escaped name is simply not recognized).
      levels_.back().key = text_.substr(1, text_.size() - 2);
      levels_.back().expectKey = false;
      return;
    }
    valueDone();
  }

  // A value ended: its member's key no longer applies.
  void valueDone() {
    if (!levels_.empty() && levels_.back().object) levels_.back().key.clear();
  }

  // A string value at inputs.<name>.content: three objects deep, at the member "content".
  bool startsContent() const {
    return levels_.size() == 3 && levels_[0].object && levels_[0].key == "inputs" &&
           levels_[1].object && !levels_[1].key.empty() && levels_[2].object &&
           !levels_[2].expectKey && levels_[2].key == "content";
  }

  void startSpool() {
    if (body_.files.size() == maxFiles_) {
      throw Error(ErrorCode::kInvalidArgument, "the body holds more than " +
                                                   std::to_string(maxFiles_) +
                                                   " file contents (setting maxFilesPerCall)");
    }
    spooling_ = true;
    input_ = levels_[1].key;
    decoder_ = core::Base64Decoder();
    body_.files.emplace_back();
    out_.open(body_.files.back().path(), std::ios::binary | std::ios::trunc);
  }

  // Decodes up to the closing quote; returns where the scan goes on.
  std::size_t spool(std::string_view chunk, std::size_t at) {
    if (escapePending_) {
      // Only "\/" may appear in base64 written as JSON.
      if (chunk[at] != '/') notBase64();
      escapePending_ = false;
      decode("/");
      return at + 1;
    }
    const char* begin = chunk.data() + at;
    const std::size_t left = chunk.size() - at;
    const void* quote = std::memchr(begin, '"', left);
    const void* escape = std::memchr(begin, '\\', left);
    const char* stop = begin + left;
    if (quote != nullptr) stop = static_cast<const char*>(quote);
    if (escape != nullptr && static_cast<const char*>(escape) < stop) {
      stop = static_cast<const char*>(escape);
    }
    decode(std::string_view(begin, static_cast<std::size_t>(stop - begin)));
    if (stop == begin + left) return chunk.size();
    if (*stop == '\\') {
      escapePending_ = true;
      return at + static_cast<std::size_t>(stop - begin) + 1;
    }
    // The closing quote.
    if (!decoder_.finish()) notBase64();
    out_.close();
    if (!out_) {
      throw Error(ErrorCode::kInternal,
                  "cannot write the content of input '" + input_ + "' to a temporary file");
    }
    spooling_ = false;
    append("{\"$spooled\":" + std::to_string(body_.files.size() - 1) + "}");
    valueDone();
    return at + static_cast<std::size_t>(stop - begin) + 1;
  }

  void decode(std::string_view text) {
    bytes_.clear();
    if (!decoder_.add(text, bytes_)) notBase64();
    streamed_ += bytes_.size();
    if (streamed_ > maxStream_) {
      throw Error(ErrorCode::kPayloadTooLarge, "file contents are larger than " +
                                                   std::to_string(maxStream_) +
                                                   " bytes (setting maxStreamBytes)");
    }
    out_.write(bytes_.data(), static_cast<std::streamsize>(bytes_.size()));
  }

  [[noreturn]] void notBase64() const {
    throw Error(ErrorCode::kInvalidArgument,
                "inputs." + input_ + ".content is not base64 (RFC 4648, with padding)");
  }

  std::size_t maxJson_;
  std::uint64_t maxStream_;
  std::size_t maxDepth_;
  std::size_t maxFiles_;
  SpooledBody body_;
  std::vector<Level> levels_;
  bool inString_ = false;
  bool escaped_ = false;
  std::string text_;  // the string being read, quotes included
  bool spooling_ = false;
  bool escapePending_ = false;
  std::string input_;
  core::Base64Decoder decoder_;
  std::ofstream out_;
  std::string bytes_;
  std::uint64_t streamed_ = 0;
};

}  // namespace

SpooledBody readSpooled(std::istream& in, std::size_t maxJsonBytes, std::uint64_t maxStreamBytes,
                        std::size_t maxDepth, std::size_t maxFiles) {
  Spooler spooler(maxJsonBytes, maxStreamBytes, maxDepth, maxFiles);
  std::string chunk(kChunk, '\0');
  while (in) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    if (got == 0) break;
    spooler.feed(std::string_view(chunk.data(), got));
  }
  return spooler.finish();
}

}  // namespace broker::server
