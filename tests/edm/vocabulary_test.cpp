// The loader's vocabulary tables and UTF-16 → UTF-8 conversion.
#include "vocabulary.h"

#include <gtest/gtest.h>

namespace broker::edm::internal {
namespace {

TEST(VocabularyTest, ConvertsUtf16ToUtf8) {
  std::string out;
  appendUtf8(out, u"Catalog_Удалить €𝄞");
  EXPECT_EQ(out, "Catalog_Удалить €𝄞");
  out.clear();
  appendUtf8(out, std::u16string_view(u"\xD800x", 2));  // unpaired surrogate
  EXPECT_EQ(out, "\xEF\xBF\xBDx");
}

TEST(VocabularyTest, ClassifiesNamespaces) {
  EXPECT_EQ(classifyNamespace(u"http://docs.oasis-open.org/odata/ns/edm"), XmlNamespace::kCsdlV4);
  EXPECT_EQ(classifyNamespace(u"http://schemas.microsoft.com/ado/2009/11/edm"),
            XmlNamespace::kCsdlV3);
  EXPECT_EQ(classifyNamespace(u"http://schemas.microsoft.com/ado/2006/04/edm"),
            XmlNamespace::kCsdlV1);
  EXPECT_EQ(classifyNamespace(u"http://www.w3.org/2005/Atom"), XmlNamespace::kOther);
  EXPECT_EQ(classifyNamespace(u""), XmlNamespace::kNone);
}

TEST(VocabularyTest, LooksUpElementsAndAttributes) {
  EXPECT_EQ(elementFromName(u"NavigationPropertyBinding"), ElementId::kNavigationPropertyBinding);
  EXPECT_EQ(elementFromName(u"Documentation"), ElementId::kUnknown);
  EXPECT_EQ(elementName(ElementId::kEntitySet), "EntitySet");
  AttrId id{};
  EXPECT_TRUE(attributeFromName(XmlNamespace::kSap, u"label", id));
  EXPECT_EQ(id, AttrId::kSapLabel);
  EXPECT_EQ(attributeName(id), "sap:label");
  EXPECT_FALSE(attributeFromName(XmlNamespace::kSap, u"semantics", id));
  EXPECT_FALSE(attributeFromName(XmlNamespace::kOther, u"Name", id));
}

TEST(VocabularyTest, AttributesAreResetBetweenElements) {
  Attributes attributes;
  attributes.set(AttrId::kName, "A");
  EXPECT_EQ(attributes.get(AttrId::kName), "A");
  attributes.clear();
  EXPECT_FALSE(attributes.has(AttrId::kName));
  EXPECT_EQ(attributes.get(AttrId::kName), "");
}

}  // namespace
}  // namespace broker::edm::internal
