// The EDM → SO type table.
#include "serviceobjects/type_mapping.h"

#include <gtest/gtest.h>

#include "broker/edm/model.h"

namespace serviceobjects {
namespace {

using broker::edm::PrimitiveKind;

struct MappingCase {
  PrimitiveKind primitive;
  SoType expected;
};

class PrimitiveMappingTest : public ::testing::TestWithParam<MappingCase> {};

TEST_P(PrimitiveMappingTest, MapsAsTheTableSays) {
  EXPECT_EQ(soTypeOf(GetParam().primitive), GetParam().expected)
      << broker::edm::primitiveName(GetParam().primitive);
}

INSTANTIATE_TEST_SUITE_P(
    Table, PrimitiveMappingTest,
    ::testing::Values(MappingCase{PrimitiveKind::kString, SoType::kText},
                      MappingCase{PrimitiveKind::kBoolean, SoType::kYesNo},
                      MappingCase{PrimitiveKind::kByte, SoType::kNumber},
                      MappingCase{PrimitiveKind::kSByte, SoType::kNumber},
                      MappingCase{PrimitiveKind::kInt16, SoType::kNumber},
                      MappingCase{PrimitiveKind::kInt32, SoType::kNumber},
                      MappingCase{PrimitiveKind::kInt64, SoType::kNumber},
                      MappingCase{PrimitiveKind::kDecimal, SoType::kDecimal},
                      MappingCase{PrimitiveKind::kDouble, SoType::kDecimal},
                      MappingCase{PrimitiveKind::kSingle, SoType::kDecimal},
                      MappingCase{PrimitiveKind::kDateTime, SoType::kDateTime},
                      MappingCase{PrimitiveKind::kDateTimeOffset, SoType::kDateTime},
                      MappingCase{PrimitiveKind::kDate, SoType::kDate},
                      MappingCase{PrimitiveKind::kTime, SoType::kTime},
                      MappingCase{PrimitiveKind::kTimeOfDay, SoType::kTime},
                      MappingCase{PrimitiveKind::kDuration, SoType::kText},
                      MappingCase{PrimitiveKind::kGuid, SoType::kGuid},
                      MappingCase{PrimitiveKind::kStream, SoType::kFile},
                      MappingCase{PrimitiveKind::kBinary, SoType::kMemo},
                      MappingCase{PrimitiveKind::kGeographyPoint, SoType::kMemo},
                      MappingCase{PrimitiveKind::kGeometryPolygon, SoType::kMemo},
                      MappingCase{PrimitiveKind::kUntyped, SoType::kMemo}));

TEST(TypeMappingTest, NonPrimitiveTypes) {
  broker::edm::EnumType color;
  color.kind = broker::edm::TypeKind::kEnum;
  color.fullName = "NS.Color";
  broker::edm::TypeRef ref;
  ref.kind = broker::edm::TypeKind::kEnum;
  ref.definition = &color;
  ref.primitive = PrimitiveKind::kInt32;
  EXPECT_EQ(soTypeOf(ref), SoType::kText);
  EXPECT_EQ(edmTypeName(ref), "NS.Color");
  ref.collection = true;
  EXPECT_EQ(soTypeOf(ref), SoType::kMemo);
  EXPECT_EQ(edmTypeName(ref), "Collection(NS.Color)");
  broker::edm::TypeRef money;
  money.kind = broker::edm::TypeKind::kTypeDefinition;
  money.primitive = PrimitiveKind::kDecimal;
  EXPECT_EQ(soTypeOf(money), SoType::kDecimal);
}

}  // namespace
}  // namespace serviceobjects
