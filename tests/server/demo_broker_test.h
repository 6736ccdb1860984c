// A fixture for API tests: one in-process broker per test suite, with the demo service running
// and registered as instance "demo" (OData V4).
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "broker_support.h"
#include "demo_peer.h"

namespace broker::testing {

class DemoBrokerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    peer_ = std::make_unique<DemoPeer>();
    broker_ = std::make_unique<BrokerUnderTest>();
    ASSERT_EQ(broker_->registerInstance("demo", peer_->v4()).status, 201);
  }
  static void TearDownTestSuite() {
    broker_.reset();
    peer_.reset();
  }

  static inline std::unique_ptr<DemoPeer> peer_;
  static inline std::unique_ptr<BrokerUnderTest> broker_;
};

}  // namespace broker::testing
