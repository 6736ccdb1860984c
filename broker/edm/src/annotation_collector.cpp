// Values of the kept vocabulary annotations.
#include "annotation_collector.h"

#include <utility>

#include "broker/core/text.h"

namespace broker::edm::internal {

namespace {

constexpr std::pair<std::string_view, Term> kTerms[] = {
    {"Org.OData.Core.V1.Computed", Term::kComputed},
    {"Org.OData.Core.V1.ComputedDefaultValue", Term::kComputedDefaultValue},
    {"Org.OData.Core.V1.Immutable", Term::kImmutable},
    {"Org.OData.Core.V1.MediaType", Term::kMediaType},
    {"Org.OData.Core.V1.ContentDisposition", Term::kContentDisposition},
    {"Org.OData.Core.V1.OptimisticConcurrency", Term::kOptimisticConcurrency},
    {"Org.OData.Capabilities.V1.InsertRestrictions", Term::kInsertRestrictions},
    {"Org.OData.Capabilities.V1.UpdateRestrictions", Term::kUpdateRestrictions},
    {"Org.OData.Capabilities.V1.DeleteRestrictions", Term::kDeleteRestrictions},
    {"Org.OData.Capabilities.V1.FilterRestrictions", Term::kFilterRestrictions},
};

}  // namespace

bool mayBeKeptTerm(std::string_view writtenTerm) noexcept {
  const std::string_view name = writtenTerm.substr(writtenTerm.rfind('.') + 1);
  for (const auto& [kept, value] : kTerms) {
    if (kept.ends_with(name) && kept[kept.size() - name.size() - 1] == '.') return true;
  }
  return false;
}

bool termFromName(std::string_view qualifiedTerm, Term& term) noexcept {
  for (const auto& [name, value] : kTerms) {
    if (name == qualifiedTerm) {
      term = value;
      return true;
    }
  }
  return false;
}

std::optional<bool> PendingAnnotation::fieldBool(std::string_view property) const noexcept {
  for (const AnnotationField& field : fields) {
    if (field.property == property) return field.boolValue;
  }
  return std::nullopt;
}

const std::vector<std::string>& PendingAnnotation::fieldPaths(
    std::string_view property) const noexcept {
  static const std::vector<std::string> kNone;
  for (const AnnotationField& field : fields) {
    if (field.property == property) return field.paths;
  }
  return kNone;
}

void AnnotationCollector::begin(PendingAnnotation annotation, const Attributes& attributes) {
  annotation_ = std::move(annotation);
  inField_ = false;
  collectingText_ = false;
  if (attributes.has(AttrId::kBool)) setBool(attributes.get(AttrId::kBool));
  if (attributes.has(AttrId::kString)) annotation_.stringValue = attributes.get(AttrId::kString);
}

bool AnnotationCollector::start(ElementId id, const Attributes& attributes) {
  switch (id) {
    case ElementId::kRecord:
    case ElementId::kCollection:
      return true;
    case ElementId::kPropertyValue:
      if (inField_) return false;  // nested records are not used by any kept term
      inField_ = true;
      annotation_.fields.push_back({std::string(attributes.get(AttrId::kProperty)), {}, {}});
      if (attributes.has(AttrId::kBool)) setBool(attributes.get(AttrId::kBool));
      if (attributes.has(AttrId::kPath)) {
        annotation_.fields.back().paths.emplace_back(core::trim(attributes.get(AttrId::kPath)));
      }
      return true;
    default:
      if (!carriesText(id)) return false;
      collectingText_ = true;
      text_.clear();
      return true;
  }
}

void AnnotationCollector::end(ElementId id) {
  switch (id) {
    case ElementId::kPropertyValue:
      inField_ = false;
      break;
    case ElementId::kBool:
      setBool(core::trim(text_));
      break;
    case ElementId::kString:
      if (!inField_) annotation_.stringValue = text_;
      break;
    case ElementId::kPropertyPath:
      currentPaths().emplace_back(core::trim(text_));
      break;
    default:
      break;
  }
  collectingText_ = false;
}

PendingAnnotation AnnotationCollector::finish() { return std::move(annotation_); }

void AnnotationCollector::setBool(std::string_view value) {
  bool parsed = false;
  if (!core::parseBool(value, parsed)) return;  // a dynamic expression: not a constant we keep
  if (inField_) {
    annotation_.fields.back().boolValue = parsed;
  } else {
    annotation_.boolValue = parsed;
  }
}

std::vector<std::string>& AnnotationCollector::currentPaths() {
  return inField_ ? annotation_.fields.back().paths : annotation_.paths;
}

}  // namespace broker::edm::internal
