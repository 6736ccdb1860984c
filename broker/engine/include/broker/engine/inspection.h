// Request inspection: every upstream request a call makes (method, URL, headers with secrets
// masked, status, time, bodies cut short), recorded while an inspection lives on the call's
// thread.
#pragma once

#include "broker/odata/http.h"

namespace broker::engine {

using RequestInspection = odata::RequestInspection;
using InspectedRequest = odata::InspectedRequest;

}  // namespace broker::engine
