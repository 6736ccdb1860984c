// A settings file (name = value lines, or JSON when the name ends in .json): settings or a
// core::Error naming the setting.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "broker/core/error.h"
#include "config/settings.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::filesystem::path dir = [] {
    auto path =
        std::filesystem::temp_directory_path() / ("settings-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(path);
    return path;
  }();
  if (size == 0) return 0;
  // The first byte picks the format.
  const std::filesystem::path file = dir / (data[0] & 1 ? "broker.json" : "broker.properties");
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data) + 1, static_cast<std::streamsize>(size - 1));
  }
  try {
    config::loadSettings(file, {});
  } catch (const broker::core::Error&) {
  }
  return 0;
}
