// Client-certificate stores: every search method, and every way a search fails, on
// certificates the test makes (a trusted CA in the Root store, another CA that is not).
#include "auth/certificate_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "broker/core/error.h"
#include "test_pki.h"

namespace broker::auth {
namespace {

using ::testing::HasSubstr;
using Kind = testing::CertificateSpec::Kind;
using Method = config::CertificateSearchMethod;
namespace fs = std::filesystem;

class CertificateStoreTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = fs::temp_directory_path() / ("cert-store-test-" + std::to_string(::getpid()));
    locations_ = {root_ / "machine", root_ / "user"};
    ca_ = testing::issueCertificate(
        {"OData Broker Test CA", "OData Broker Tests", 1, -3600, 3600 * 24, Kind::kAuthority});
    const auto other = testing::issueCertificate(
        {"Other Test CA", "Elsewhere", 2, -3600, 3600 * 24, Kind::kAuthority});
    client_ = testing::issueCertificate(
        {"Broker Client", "OData Broker Tests", 0x1001, -3600, 3600 * 24, Kind::kClient}, &ca_);
    const auto expired = testing::issueCertificate(
        {"Expired Client", "OData Broker Tests", 0x1002, -864000, -86400, Kind::kClient}, &ca_);
    const auto stranger = testing::issueCertificate(
        {"Stranger Client", "Elsewhere", 0x1003, -3600, 3600 * 24, Kind::kClient}, &other);
    const auto keyless = testing::issueCertificate(
        {"Keyless Client", "OData Broker Tests", 0x1004, -3600, 3600 * 24, Kind::kClient}, &ca_);
    p12_ = testing::issueCertificate(
        {"Bundled Client", "OData Broker Tests", 0x1005, -3600, 3600 * 24, Kind::kClient}, &ca_);
    const fs::path my = locations_.localMachine / "My";
    testing::writePem(locations_.localMachine / "Root" / "ca.pem", ca_, false);
    testing::writePem(my / "client.pem", client_, true);
    testing::writePem(my / "expired.pem", expired, true);
    testing::writePem(my / "stranger.pem", stranger, true);
    testing::writePem(my / "keyless.crt", keyless, false);
    testing::writePkcs12(my / "bundled.p12", p12_, "p12-pass");
  }
  static void TearDownTestSuite() { fs::remove_all(root_); }

  static CertificateSearch search(Method method, std::string value, std::string passphrase = {}) {
    CertificateSearch s;
    s.storeLocation = config::CertificateStoreLocation::kLocalMachine;
    s.method = method;
    s.value = std::move(value);
    s.passphrase = std::move(passphrase);
    return s;
  }
  static std::string failure(const CertificateSearch& s) {
    try {
      findClientCertificate(s, locations_);
    } catch (const core::Error& e) {
      EXPECT_EQ(e.code(), core::ErrorCode::kInvalidArgument);
      return e.message();
    }
    ADD_FAILURE() << "found a certificate";
    return "";
  }

  static fs::path root_;
  static CertificateLocations locations_;
  static testing::Issued ca_, client_, p12_;
};

fs::path CertificateStoreTest::root_;
CertificateLocations CertificateStoreTest::locations_;
testing::Issued CertificateStoreTest::ca_, CertificateStoreTest::client_,
    CertificateStoreTest::p12_;

TEST_F(CertificateStoreTest, EverySearchMethodFindsTheClient) {
  for (const CertificateSearch& s :
       {search(Method::kFindBySubjectName, "broker client"),
        search(Method::kFindByThumbprint,
               " " + client_.thumbprint.substr(0, 8) + " " + client_.thumbprint.substr(8) + " "),
        search(Method::kFindByIssuerName, "odata broker test ca"),
        search(Method::kFindBySerialNumber, "10 01")}) {
    const ClientCertificate found = findClientCertificate(s, locations_);
    EXPECT_EQ(found.thumbprint, client_.thumbprint) << static_cast<int>(s.method);
    EXPECT_THAT(found.subject, HasSubstr("CN=Broker Client"));
    EXPECT_THAT(found.privateKeyPem, HasSubstr("PRIVATE KEY"));
  }
  // Lower-case thumbprint with colons.
  std::string colons;
  for (std::size_t i = 0; i < client_.thumbprint.size(); i += 2) {
    colons += (i == 0 ? "" : ":") + client_.thumbprint.substr(i, 2);
  }
  for (char& c : colons) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_EQ(findClientCertificate(search(Method::kFindByThumbprint, colons), locations_).thumbprint,
            client_.thumbprint);
}

TEST_F(CertificateStoreTest, Pkcs12FilesOpenWithTheirPassphrase) {
  const ClientCertificate found =
      findClientCertificate(search(Method::kFindBySubjectName, "Bundled", "p12-pass"), locations_);
  EXPECT_EQ(found.thumbprint, p12_.thumbprint);
  EXPECT_THAT(failure(search(Method::kFindBySubjectName, "Bundled", "wrong")),
              HasSubstr("no certificate matches"));
}

TEST_F(CertificateStoreTest, FailuresNameTheSearchAndTheReason) {
  EXPECT_THAT(failure(search(Method::kFindBySubjectName, "Nobody")),
              HasSubstr("FindBySubjectName 'Nobody' in the LocalMachine store My"));
  EXPECT_THAT(failure(search(Method::kFindBySubjectName, "Nobody")),
              HasSubstr("no certificate matches"));
  EXPECT_THAT(failure(search(Method::kFindBySubjectName, "Expired Client")),
              HasSubstr("expired on"));
  EXPECT_THAT(failure(search(Method::kFindBySubjectName, "Stranger")),
              HasSubstr("does not chain to a trusted root"));
  EXPECT_THAT(failure(search(Method::kFindBySubjectName, "Keyless")),
              HasSubstr("has no private key"));
  CertificateSearch missing = search(Method::kFindBySubjectName, "Broker Client");
  missing.storeName = "TrustedPeople";
  EXPECT_THAT(failure(missing), HasSubstr("the store does not exist"));
  // The user's store is elsewhere.
  CertificateSearch user = search(Method::kFindBySubjectName, "Broker Client");
  user.storeLocation = config::CertificateStoreLocation::kCurrentUser;
  EXPECT_THAT(failure(user), HasSubstr("CurrentUser store My (" + (root_ / "user").string()));
}

TEST_F(CertificateStoreTest, AValidMatchIsPreferredToAnExpiredOne) {
  // "Client" matches the expired, the stranger and the keyless ones too.
  const ClientCertificate found =
      findClientCertificate(search(Method::kFindBySubjectName, "Client", "p12-pass"), locations_);
  EXPECT_TRUE(found.thumbprint == client_.thumbprint || found.thumbprint == p12_.thumbprint);
}

}  // namespace
}  // namespace broker::auth
