#include <iostream>

#include "broker/core/error.h"
#include "broker/edm/edmx_loader.h"
int main(int argc, char** argv) {
  try {
    auto m = broker::edm::EdmxLoader::loadFile(argv[argc - 1]);
    std::cout << m->schemas.size() << " schemas\n";
  } catch (const broker::core::Error& e) {
    std::cerr << e.message() << "\n";
    return 1;
  }
}
