// Collects the values of the few vocabulary annotations a broker acts on (Core.Computed,
// Capabilities.InsertRestrictions, …) while the SAX pass walks an Annotation element.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "broker/edm/type_ref.h"
#include "vocabulary.h"

namespace broker::edm::internal {

/// The terms the loader keeps. Others are skipped without looking inside.
enum class Term : std::uint8_t {
  kComputed,
  kComputedDefaultValue,
  kImmutable,
  kMediaType,
  kContentDisposition,
  kOptimisticConcurrency,
  kInsertRestrictions,
  kUpdateRestrictions,
  kDeleteRestrictions,
  kFilterRestrictions,
};

/// False when the term's name (after the last dot) is none of the kept ones; cheap, so that the
/// many other annotations are skipped before their namespace is resolved.
bool mayBeKeptTerm(std::string_view writtenTerm) noexcept;

/// Maps a namespace-qualified term ("Org.OData.Core.V1.Computed") to a kept Term.
bool termFromName(std::string_view qualifiedTerm, Term& term) noexcept;

/// One PropertyValue of a Record.
struct AnnotationField {
  std::string property;
  std::optional<bool> boolValue;
  std::vector<std::string> paths;
};

/// A kept annotation, applied to its target once the whole model is loaded.
struct PendingAnnotation {
  std::string target;  ///< "Ns.Type/Property", "Ns.Container/Set", alias-qualified allowed
  Term term = Term::kComputed;
  std::optional<bool> boolValue;
  std::string stringValue;
  std::vector<std::string> paths;
  std::vector<AnnotationField> fields;
  SourcePosition position;

  /// The Bool of a Record's PropertyValue, e.g. "Insertable"; unset when absent.
  std::optional<bool> fieldBool(std::string_view property) const noexcept;
  /// The PropertyPaths of a Record's PropertyValue; empty when absent.
  const std::vector<std::string>& fieldPaths(std::string_view property) const noexcept;
};

/// Builds one PendingAnnotation from the elements inside an Annotation.
class AnnotationCollector {
 public:
  void begin(PendingAnnotation annotation, const Attributes& attributes);
  /// Record, PropertyValue, Collection, Bool, String, PropertyPath; false for anything else
  /// (the caller skips it).
  bool start(ElementId id, const Attributes& attributes);
  void end(ElementId id);
  void text(std::string_view chunk) { text_.append(chunk); }
  bool wantsText() const noexcept { return collectingText_; }
  PendingAnnotation finish();

 private:
  void setBool(std::string_view value);
  std::vector<std::string>& currentPaths();

  PendingAnnotation annotation_;
  bool inField_ = false;
  bool collectingText_ = false;
  std::string text_;
};

}  // namespace broker::edm::internal
