// bench/reader_page: readFeed of one V4 page of 1,000 rows (7 properties, the key marked, as the
// engine reads a List) against a bare simdjson walk of the same page that touches every value,
// in the same run: what the reader's conversion and checks cost per page.
#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <cstdio>
#include <string>

#include "broker/odata/reader.h"
#include "median_reporter.h"

namespace {

namespace edm = broker::edm;
using broker::odata::FieldMap;

std::string page() {
  std::string body = R"({"@odata.context":"$metadata#Products","value":[)";
  for (int i = 0; i < 1000; ++i) {
    if (i > 0) body += ',';
    body += R"({"@odata.etag":"W/\"2024\"","ID":)" + std::to_string(i) +
            R"(,"Name":"Product number )" + std::to_string(i) + R"(","Price":")" +
            std::to_string(i % 100) + R"(.50","Stock":")" + std::to_string(i * 7) +
            R"(","IsAvailable":true,"ReleaseDate":"2024-01-02",)" +
            R"("ModifiedAt":"2024-05-06T07:08:09.123Z"})";
  }
  return body + "]}";
}

edm::TypeRef primitive(edm::PrimitiveKind kind) {
  edm::TypeRef type;
  type.primitive = kind;
  return type;
}

void BM_ReadFeed(benchmark::State& state) {
  const std::string source = page();
  FieldMap fields;
  fields.setKey(fields.add("ID", primitive(edm::PrimitiveKind::kInt32)));
  fields.add("Name", primitive(edm::PrimitiveKind::kString));
  fields.add("Price", primitive(edm::PrimitiveKind::kDecimal));
  fields.add("Stock", primitive(edm::PrimitiveKind::kInt64));
  fields.add("IsAvailable", primitive(edm::PrimitiveKind::kBoolean));
  fields.add("ReleaseDate", primitive(edm::PrimitiveKind::kDate));
  fields.add("ModifiedAt", primitive(edm::PrimitiveKind::kDateTimeOffset));
  std::string body;
  for (auto _ : state) {
    body = source;
    std::size_t rows = 0;
    broker::odata::readFeed(body, fields, {edm::ODataVersion::kV4},
                            [&rows](const broker::odata::Entry&) { ++rows; });
    benchmark::DoNotOptimize(rows);
  }
}

void BM_SimdjsonWalk(benchmark::State& state) {
  const std::string source = page();
  simdjson::ondemand::parser parser;
  std::string body;
  for (auto _ : state) {
    body = source;
    body.reserve(body.size() + simdjson::SIMDJSON_PADDING);
    simdjson::ondemand::document doc = parser.iterate(body.data(), body.size(), body.capacity());
    std::size_t bytes = 0;
    for (auto field : doc.get_object()) {
      if (field.unescaped_key().value() != "value") continue;
      for (auto row : field.value().get_array()) {
        for (auto member : row.get_object()) {
          bytes += member.unescaped_key().value().size();
          bytes += member.value().raw_json_token().value().size();
        }
      }
    }
    benchmark::DoNotOptimize(bytes);
  }
}

BENCHMARK(BM_ReadFeed)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_SimdjsonWalk)->Unit(benchmark::kMicrosecond)->UseRealTime();

void printRatios(const bench::MedianReporter& times) {
  const double read = times.time("BM_ReadFeed/real_time");
  const double walk = times.time("BM_SimdjsonWalk/real_time");
  if (read > 0 && walk > 0) std::printf("\nreadFeed / simdjson walk: %.2fx\n", read / walk);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  return bench::runWithRatios(printRatios);
}
