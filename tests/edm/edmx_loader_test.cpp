#include "broker/edm/edmx_loader.h"

#include <gtest/gtest.h>

TEST(Smoke, LoadsCorpusFile) {
  auto model = broker::edm::EdmxLoader::loadFile(BROKER_CORPUS_DIR "/trippin-v4.xml");
  EXPECT_EQ(model->schemas.size(), 1u);
}
