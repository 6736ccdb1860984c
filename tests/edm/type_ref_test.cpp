// Primitive type names and type references.
#include "broker/edm/type_ref.h"

#include <gtest/gtest.h>

namespace broker::edm {
namespace {

TEST(TypeRefTest, PrimitiveNamesRoundTrip) {
  for (int i = 1; i <= static_cast<int>(PrimitiveKind::kModelElementPath); ++i) {
    const auto kind = static_cast<PrimitiveKind>(i);
    EXPECT_EQ(primitiveKindFromName(primitiveName(kind)), kind) << primitiveName(kind);
  }
  EXPECT_EQ(primitiveKindFromName("Edm.Nope"), PrimitiveKind::kNone);
  EXPECT_EQ(primitiveKindFromName("NS.Int32"), PrimitiveKind::kNone);
  EXPECT_EQ(primitiveName(PrimitiveKind::kNone), "");
}

TEST(TypeRefTest, VersionsAndPositions) {
  EXPECT_EQ(toString(ODataVersion::kV2), "2.0");
  EXPECT_EQ(toString(ODataVersion::kV401), "4.01");
  EXPECT_EQ(describe(SourcePosition{3, 7}), "line 3, column 7");
}

TEST(TypeRefTest, QualifiedNameOfPrimitive) {
  TypeRef ref;
  ref.primitive = PrimitiveKind::kDateTimeOffset;
  EXPECT_EQ(ref.qualifiedName(), "Edm.DateTimeOffset");
}

}  // namespace
}  // namespace broker::edm
