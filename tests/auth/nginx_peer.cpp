#include "nginx_peer.h"

#include <stdlib.h>

#include <fstream>
#include <stdexcept>

namespace broker::testing {

namespace fs = std::filesystem;

NginxPeer::NginxPeer(const NginxSetup& setup) {
  char pattern[] = "/tmp/nginx-peer-XXXXXX";
  if (mkdtemp(pattern) == nullptr) throw std::runtime_error("cannot create a temporary folder");
  dir_ = pattern;
  fs::create_directories(dir_ / "tmp");
  mtlsPort_ = freeLoopbackPort();
  tlsPort_ = freeLoopbackPort();
  oauthPort_ = freeLoopbackPort();
  basicPort_ = freeLoopbackPort();
  const std::string d = dir_.string();
  std::ofstream(dir_ / "server.pem") << setup.serverCertificate.certificatePem;
  std::ofstream(dir_ / "server.key") << setup.serverCertificate.keyPem;
  std::ofstream(dir_ / "clients-ca.pem") << setup.clientCaPem;
  std::ofstream(dir_ / "htpasswd") << setup.basicUser << ":{PLAIN}" << setup.basicPassword << "\n";
  const std::string proxy = "      proxy_pass " + setup.upstream +
                            ";\n"
                            "      proxy_set_header Host $http_host;\n"
                            "      proxy_set_header Authorization \"\";\n";
  const std::string tls =
      "    ssl_certificate " + d + "/server.pem;\n    ssl_certificate_key " + d + "/server.key;\n";
  std::ofstream(dir_ / "nginx.conf")
      << "daemon off;\nmaster_process off;\nworker_processes 1;\npid " << d
      << "/nginx.pid;\nerror_log " << d << "/error.log info;\n"
      << "events { worker_connections 256; }\n"
      << "http {\n  access_log " << d << "/access.log;\n"
      << "  client_body_temp_path " << d << "/tmp;\n  proxy_temp_path " << d << "/tmp;\n"
      << "  fastcgi_temp_path " << d << "/tmp;\n  uwsgi_temp_path " << d << "/tmp;\n"
      << "  scgi_temp_path " << d << "/tmp;\n  client_max_body_size 0;\n"
      << "  server {\n    listen 127.0.0.1:" << mtlsPort_ << " ssl default_server;\n"
      << tls << "    return 421;\n  }\n"
      << "  server {\n    listen 127.0.0.1:" << mtlsPort_ << " ssl;\n    server_name localhost;\n"
      << tls << "    ssl_client_certificate " << d
      << "/clients-ca.pem;\n    ssl_verify_client on;\n"
      << "    location / {\n"
      << proxy << "    }\n  }\n"
      << "  server {\n    listen 127.0.0.1:" << tlsPort_ << " ssl;\n    server_name localhost;\n"
      << tls << "    location / {\n"
      << proxy << "    }\n  }\n"
      << "  server {\n    listen 127.0.0.1:" << oauthPort_ << ";\n"
      << "    location / {\n      auth_request /_introspect;\n"
      << proxy << "    }\n"
      << "    location = /_introspect {\n      internal;\n      proxy_pass " << setup.oauthOrigin
      << "/introspect;\n      proxy_pass_request_body off;\n"
      << "      proxy_set_header Content-Length \"\";\n    }\n  }\n"
      << "  server {\n    listen 127.0.0.1:" << basicPort_ << ";\n"
      << "    auth_basic \"OData\";\n    auth_basic_user_file " << d << "/htpasswd;\n"
      << "    location / {\n"
      << proxy << "    }\n  }\n"
      << "}\n";
  try {
    process_ = std::make_unique<PeerProcess>(PeerCommand{
        .name = "nginx (installed by ./run.sh deps)",
        .directory = dir_,
        .arguments = {"-p", d, "-e", d + "/error.log", "-c", d + "/nginx.conf"},
        .readyVariable = "",
        .program = "nginx",
        .listening = [this] {
          const bool all = acceptsOnLoopback(mtlsPort_) && acceptsOnLoopback(tlsPort_) &&
                           acceptsOnLoopback(oauthPort_) && acceptsOnLoopback(basicPort_);
          return all ? std::string("http://127.0.0.1:") + std::to_string(oauthPort_)
                     : std::string();
        }});
  } catch (const std::runtime_error& e) {
    // nginx writes its reasons to its error log, not to stderr.
    const std::string log = errorLog();
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
    throw std::runtime_error(std::string(e.what()) + "\n" + log);
  }
}

NginxPeer::~NginxPeer() {
  process_.reset();
  std::error_code ignored;
  fs::remove_all(dir_, ignored);
}

std::string NginxPeer::errorLog() const { return readTextFile(dir_ / "error.log"); }

}  // namespace broker::testing
