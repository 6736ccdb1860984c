// ObjectTypes and serialized items against the real demo service: Serialize, SerializeArray,
// Deserialize and DeserializeArray; a collection of a complex type written into an entity
// from a serialized array and read back; serializationCompress in both directions.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "broker/core/error.h"
#include "broker/core/text.h"
#include "demo_peer.h"
#include "engine_support.h"

namespace broker::testing {
namespace {

using ::testing::HasSubstr;

constexpr const char* kContact = "demo_Contact";
// namesAppendPropertyTypes (on by default) names a complex property with its type.
constexpr const char* kContacts = "Contacts (Collection(demo_Contact))";

class SerializationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { peer_ = std::make_unique<DemoPeer>(); }
  static void TearDownTestSuite() { peer_.reset(); }

  // Two contacts as a serialized array, built item by item.
  static std::string twoContacts(const engine::Instance& instance) {
    const auto first = call(instance, {.object = kContact,
                                       .method = "SerializeArray",
                                       .inputs = {{"Name", str("Ada")}, {"Phone", str("+1")}}});
    const auto both =
        call(instance, {.object = kContact,
                        .method = "SerializeArray",
                        .inputs = {{"Serialized Array", first[0].at("Serialized Array")},
                                   {"Name", str("Grace")},
                                   {"Email", str("g@example.com")}}});
    return both[0].at("Serialized Array").text;
  }

  static std::unique_ptr<DemoPeer> peer_;
};

std::unique_ptr<DemoPeer> SerializationTest::peer_;

TEST_F(SerializationTest, SerializeAndDeserializeAnItem) {
  auto instance = openOn(peer_->v4());
  const auto item =
      call(*instance, {.object = kContact,
                       .method = "Serialize",
                       .inputs = {{"Name", str("Ada \"A\"")}, {"Email", str("a@x")}}});
  ASSERT_EQ(item.size(), 1u);
  EXPECT_EQ(item[0].at("Serialized Item").text, R"({"Name":"Ada \"A\"","Email":"a@x"})");

  const auto rows =
      call(*instance, {.object = kContact,
                       .method = "Deserialize",
                       .inputs = {{"Serialized Item", item[0].at("Serialized Item")}}});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].at("Name"), str("Ada \"A\""));
  EXPECT_EQ(rows[0].at("Email"), str("a@x"));
  EXPECT_TRUE(rows[0].at("Phone").isNull());
}

TEST_F(SerializationTest, ArraysGrowItemByItemAndReadBackAsRows) {
  auto instance = openOn(peer_->v4());
  const std::string array = twoContacts(*instance);
  EXPECT_EQ(array, R"([{"Name":"Ada","Phone":"+1"},{"Name":"Grace","Email":"g@example.com"}])");
  const auto rows = call(*instance, {.object = kContact,
                                     .method = "DeserializeArray",
                                     .inputs = {{"Serialized Array", str(array)}}});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].at("Name"), str("Ada"));
  EXPECT_EQ(rows[1].at("Email"), str("g@example.com"));
}

TEST_F(SerializationTest, AComplexCollectionGoesIntoAnEntityAndComesBack) {
  auto instance = openOn(peer_->v4());
  const std::string id = "6f9619ff-8b86-d011-b42d-00c04fc964ff";
  call(*instance, {.object = "Suppliers",
                   .method = "Create",
                   .inputs = {{"ID", str(id)},
                              {"Name", str("Serialized Ltd")},
                              {kContacts, str(twoContacts(*instance))}}});
  const auto loaded = call(*instance, {.object = "Suppliers",
                                       .method = "Load",
                                       .inputs = {{"ID", str(id)}},
                                       .returns = {kContacts}});
  ASSERT_EQ(loaded.size(), 1u);
  const auto contacts =
      call(*instance, {.object = kContact,
                       .method = "DeserializeArray",
                       .inputs = {{"Serialized Array", loaded[0].at(kContacts)}}});
  ASSERT_EQ(contacts.size(), 2u);
  EXPECT_EQ(contacts[0].at("Name"), str("Ada"));
  EXPECT_EQ(contacts[1].at("Name"), str("Grace"));
}

TEST_F(SerializationTest, CompressedItemsAreGzipBase64BothWays) {
  auto instance = openOn(peer_->v4(), {{"serializationCompress", "true"}});
  const std::string array = twoContacts(*instance);
  std::string gzip;
  ASSERT_TRUE(core::base64Decode(array, gzip)) << array;
  ASSERT_GE(gzip.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(gzip[0]), 0x1f);  // the gzip magic
  EXPECT_EQ(static_cast<unsigned char>(gzip[1]), 0x8b);
  const auto rows = call(*instance, {.object = kContact,
                                     .method = "DeserializeArray",
                                     .inputs = {{"Serialized Array", str(array)}}});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].at("Name"), str("Grace"));

  // A compressed array is accepted as an entity's complex collection, and read back compressed.
  const std::string id = "7f9619ff-8b86-d011-b42d-00c04fc964ff";
  call(*instance, {.object = "Suppliers",
                   .method = "Create",
                   .inputs = {{"ID", str(id)}, {"Name", str("Zipped")}, {kContacts, str(array)}}});
  const auto loaded = call(*instance, {.object = "Suppliers",
                                       .method = "Load",
                                       .inputs = {{"ID", str(id)}},
                                       .returns = {kContacts}});
  ASSERT_EQ(loaded.size(), 1u);
  const odata::Value& contacts = loaded[0].at(kContacts);
  EXPECT_EQ(contacts.kind, odata::Value::Kind::kString);
  const auto back = call(*instance, {.object = kContact,
                                     .method = "DeserializeArray",
                                     .inputs = {{"Serialized Array", contacts}}});
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].at("Phone"), str("+1"));
}

TEST_F(SerializationTest, HttpHeaderItems) {
  auto instance = openOn(peer_->v2());
  const auto item = call(*instance, {.object = "HttpHeader",
                                     .method = "SerializeArray",
                                     .inputs = {{"Name", str("X-Trace")}, {"Value", str("1")}}});
  EXPECT_EQ(item[0].at("Serialized Array").text, R"([{"Name":"X-Trace","Value":"1"}])");
}

TEST_F(SerializationTest, BadItemsNameWhatIsWrong) {
  auto instance = openOn(peer_->v4());
  EXPECT_THAT(errorOf(*instance, {.object = kContact,
                                  .method = "Deserialize",
                                  .inputs = {{"Serialized Item", str("not json, not base64!")}}})
                  .message(),
              HasSubstr("'Serialized Item': expected a serialized item"));
  // Base64 that is not gzip.
  EXPECT_THAT(errorOf(*instance, {.object = kContact,
                                  .method = "DeserializeArray",
                                  .inputs = {{"Serialized Array", str("aGVsbG8=")}}})
                  .message(),
              HasSubstr("'Serialized Array'"));
  EXPECT_THAT(errorOf(*instance, {.object = kContact,
                                  .method = "SerializeArray",
                                  .inputs = {{"Serialized Array", str("[1, 2]")}}})
                  .message(),
              HasSubstr("every item must be an object"));
  EXPECT_EQ(errorOf(*instance, {.object = kContact,
                                .method = "Deserialize",
                                .inputs = {{"Serialized Item", str("[{}]")}}})
                .code(),
            core::ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace broker::testing
