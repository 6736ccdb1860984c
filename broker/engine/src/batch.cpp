#include "broker/engine/batch.h"

#include <algorithm>
#include <chrono>
#include <deque>
#include <memory>

#include "calls.h"
#include "entity_call.h"

namespace broker::engine {
namespace {

using core::Error;
using core::ErrorCode;
using internal::MethodCall;
namespace so = serviceobjects;

std::string nameOf(const BatchCall& call, std::size_t index) {
  return call.id.empty() ? "call " + std::to_string(index + 1) : "'" + call.id + "'";
}

// A call of the batch once opened: its request (references resolved), the call, its request
// in the batch and how it ended.
struct Planned {
  const BatchCall* call = nullptr;
  std::string name;  // for messages: 'id', or "call N"
  CallRequest request;
  std::unique_ptr<MethodCall> method;
  odata::RequestPlan plan;
  std::string contentId;       // inside a change set
  std::string referencedCall;  // addressed by the entity this call of the change set creates
  std::optional<Error> error;  // failed before anything was sent
};

bool anyChangeSet(const BatchRequest& batch) {
  return std::any_of(batch.items.begin(), batch.items.end(),
                     [](const BatchItem& item) { return item.changeSet; });
}

// Whether a failed $batch request means the service has no $batch at all.
bool noBatchSupport(const Error& error) {
  for (const char* status : {"upstream status 404", "upstream status 405", "upstream status 501"}) {
    if (std::find(error.details().begin(), error.details().end(), status) !=
        error.details().end()) {
      return true;
    }
  }
  return false;
}

class BatchRun {
 public:
  BatchRun(const Instance& instance, const BatchRequest& batch, BatchSink& sink, CallStats& stats)
      : instance_(instance), batch_(batch), sink_(sink), stats_(stats) {}

  void run() {
    open();
    std::vector<odata::BatchGroup> groups;
    std::vector<std::size_t> groupOf(batch_.items.size(), kNone);  // item → group
    std::vector<std::size_t> readsOf(batch_.items.size(), kNone);  // change set → its reads
    for (std::size_t i = 0; i < batch_.items.size(); ++i) {
      odata::BatchGroup group;
      group.changeSet = batch_.items[i].changeSet;
      odata::BatchGroup reads;  // a change set takes no reads: its read-backs follow it
      bool ready = true;
      for (Planned& p : planned_[i]) {
        if (p.error) {
          ready = false;
          continue;
        }
        group.requests.push_back(client().batchRequest(p.plan.request));
        group.requests.back().contentId = p.contentId;
        if (p.plan.readBack) {
          (group.changeSet ? reads : group)
              .requests.push_back(client().batchRequest(*p.plan.readBack));
        }
      }
      // A change set with a call that cannot be sent is not sent at all.
      if ((!ready && group.changeSet) || group.requests.empty()) continue;
      groupOf[i] = groups.size();
      groups.push_back(std::move(group));
      if (!reads.requests.empty()) {
        reads.afterPrevious = true;
        readsOf[i] = groups.size();
        groups.push_back(std::move(reads));
      }
    }
    std::vector<odata::BatchGroupAnswer> answers;
    // A service that stops at a failed request (as V4 services do without continue-on-error,
    // and CAP's V2 adapter) gets the requests it did not run in another $batch.
    while (answers.size() < groups.size()) {
      std::vector<odata::BatchGroup> rest(
          groups.begin() + static_cast<std::ptrdiff_t>(answers.size()), groups.end());
      std::vector<odata::BatchGroupAnswer> more = send(rest);
      if (more.empty()) break;
      for (auto& answer : more) answers.push_back(std::move(answer));
    }
    const auto answerOf = [&](std::size_t group) {
      return group == kNone || group >= answers.size() ? nullptr : &answers[group];
    };
    for (std::size_t i = 0; i < batch_.items.size(); ++i) {
      // The read-backs' answers go to their calls before these finish.
      if (const odata::BatchGroupAnswer* reads = answerOf(readsOf[i])) {
        std::size_t next = 0;
        for (Planned& p : planned_[i]) {
          if (p.error || !p.plan.readBack) continue;
          if (next >= reads->responses.size()) break;
          p.method->readBackAnswered(reads->responses[next++]);
        }
      }
      finishItem(i, answerOf(groupOf[i]), groupOf[i] != kNone && groupOf[i] >= answers.size());
    }
  }

  // The service has no $batch: each call on its own, in order.
  void runSequentially() {
    for (std::size_t i = 0; i < batch_.items.size(); ++i) {
      sink_.beginItem(batch_.items[i]);
      for (std::size_t c = 0; c < batch_.items[i].calls.size(); ++c) {
        const BatchCall& call = batch_.items[i].calls[c];
        BatchCallOutcome outcome;
        RowSink& rows = sink_.rowsOf(call);
        try {
          CallRequest request = call.request;
          request.callerAuthorization = batch_.callerAuthorization;
          request.maxUpstreamBytes = batch_.maxUpstreamBytes;
          auto method = internal::openCall(instance_, request, stats_);
          outcome.result = method->run(rows);
          outcome.status = status(*method);
        } catch (const Error& e) {
          outcome.error = e;
          outcome.status = core::httpStatus(e.code());
        }
        sink_.outcome(call, outcome);
      }
      sink_.endItem(batch_.items[i], 200, nullptr);
    }
  }

 private:
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);

  odata::ODataClient& client() const { return *instance_.client; }

  static int status(MethodCall& method) {
    return method.method().type == so::MethodType::kCreate ? 201 : 200;
  }

  // Opens and plans every call; what is wrong with one call is that call's error.
  void open() {
    int contentId = 0;
    planned_.resize(batch_.items.size());
    for (std::size_t i = 0; i < batch_.items.size(); ++i) {
      const BatchItem& item = batch_.items[i];
      for (std::size_t c = 0; c < item.calls.size(); ++c) {
        Planned& p = planned_[i].emplace_back();
        p.call = &item.calls[c];
        p.name = nameOf(item.calls[c], c);
        p.request = item.calls[c].request;
        p.request.callerAuthorization = batch_.callerAuthorization;
        p.request.maxUpstreamBytes = batch_.maxUpstreamBytes;
        if (item.changeSet) p.contentId = std::to_string(++contentId);
      }
      for (Planned& p : planned_[i]) {
        try {
          resolveReferences(p, planned_[i]);
          p.method = internal::openCall(instance_, p.request, stats_);
          if (!p.referencedCall.empty()) p.method->addressEntityAs(p.referencedCall);
          p.plan = p.method->plan();
          if (!p.plan.unbatchable.empty()) {
            throw Error(ErrorCode::kInvalidArgument,
                        "it cannot go into a $batch: " + p.plan.unbatchable);
          }
        } catch (const Error& e) {
          p.error = e;
        }
      }
    }
  }

  // `{"fromResult": "a", "property": "ID"}`: the value `a` was given, when it was given one;
  // else, for the key of the entity `a` creates, this call addresses that entity by `a`'s
  // Content-ID.
  void resolveReferences(Planned& p, std::deque<Planned>& changeSet) {
    std::string entityOf;  // the Content-ID this call's keys reference
    const auto self = std::find_if(changeSet.begin(), changeSet.end(),
                                   [&](const Planned& o) { return &o == &p; });
    for (const ResultReference& ref : p.call->references) {
      const std::string where = "input '" + ref.input + "'";
      const auto earlier = std::find_if(changeSet.begin(), self, [&](const Planned& o) {
        return !o.call->id.empty() && o.call->id == ref.call;
      });
      if (earlier == self || p.contentId.empty()) {
        throw Error(
            ErrorCode::kInvalidArgument,
            where + ": fromResult '" + ref.call + "' names no earlier call of the same change set");
      }
      const auto given =
          std::find_if(earlier->request.inputs.begin(), earlier->request.inputs.end(),
                       [&](const auto& input) { return input.first == ref.property; });
      if (given != earlier->request.inputs.end()) {
        p.request.inputs.emplace_back(ref.input, given->second);
        continue;
      }
      const so::ServiceObject* from = instance_.catalog->find(earlier->request.object);
      const so::Property* made = from == nullptr ? nullptr : from->findProperty(ref.property);
      const so::ServiceObject* object = instance_.catalog->find(p.request.object);
      const so::Property* target = object == nullptr ? nullptr : object->findProperty(ref.input);
      const bool creates = from != nullptr && earlier->request.method == "Create" &&
                           from->findMethod("Create") != nullptr &&
                           from->findMethod("Create")->type == so::MethodType::kCreate;
      if (made == nullptr || !made->key || !creates || target == nullptr || !target->key ||
          earlier->request.object != p.request.object ||
          (!entityOf.empty() && entityOf != earlier->contentId)) {
        throw Error(ErrorCode::kInvalidArgument,
                    where + ": '" + ref.property + "' of '" + ref.call +
                        "' is made by the service when it runs, so inside the change set it is "
                        "known only as the address of the entity '" +
                        ref.call +
                        "' creates (the keys of a later call on the same object); give '" +
                        ref.call + "' that input instead");
      }
      entityOf = earlier->contentId;
      // The key only addresses the entity: `$<Content-ID>` stands for it.
      p.request.inputs.emplace_back(ref.input, odata::Value::string("$" + entityOf));
    }
    if (!entityOf.empty()) p.referencedCall = "$" + entityOf;
  }

  std::vector<odata::BatchGroupAnswer> send(const std::vector<odata::BatchGroup>& groups) {
    const auto start = std::chrono::steady_clock::now();
    ++stats_.upstreamRequests;
    std::vector<odata::BatchGroupAnswer> answers;
    try {
      answers = client().sendBatch(groups, batch_.callerAuthorization);
    } catch (const Error& e) {
      stats_.upstreamTime += std::chrono::steady_clock::now() - start;
      if (!noBatchSupport(e)) throw;
      throw Error(ErrorCode::kInvalidArgument,
                  "the service does not take $batch (it answered POST $batch with " +
                      std::string(e.details().empty() ? "an error" : e.details().front()) +
                      "); send the calls one by one, or set \"sequentialFallback\": true",
                  {e.message()});
    }
    stats_.upstreamTime += std::chrono::steady_clock::now() - start;
    for (const odata::BatchGroupAnswer& answer : answers) {
      for (const odata::HttpResponse& r : answer.responses) stats_.upstreamBytes += r.body.size();
    }
    return answers;
  }

  void finishItem(std::size_t i, odata::BatchGroupAnswer* answer, bool unanswered) {
    const BatchItem& item = batch_.items[i];
    std::deque<Planned>& calls = planned_[i];
    sink_.beginItem(item);
    if (item.changeSet) {
      finishChangeSet(item, calls, answer, unanswered);
      return;
    }
    // Outside change sets an item is one call: its request, and its read-back after it.
    for (Planned& p : calls) {
      BatchCallOutcome outcome;
      RowSink& rows = sink_.rowsOf(*p.call);
      if (p.error) {
        outcome.error = p.error;
      } else if (answer == nullptr || answer->responses.empty()) {
        outcome.error = Error(ErrorCode::kUpstreamFailure,
                              "the service did not run " + p.name +
                                  ": it stopped the batch after an earlier failure");
      } else {
        if (p.plan.readBack && answer->responses.size() > 1) {
          p.method->readBackAnswered(answer->responses[1]);
        }
        answerCall(p, answer->responses.front(), rows, outcome);
      }
      if (outcome.error) outcome.status = core::httpStatus(outcome.error->code());
      sink_.outcome(*p.call, outcome);
    }
    sink_.endItem(item, 200, nullptr);
  }

  void finishChangeSet(const BatchItem& item, std::deque<Planned>& calls,
                       odata::BatchGroupAnswer* answer, bool unanswered) {
    // Which call failed, and why: one that could not be sent, or the one the service names.
    const Planned* failing = nullptr;
    std::optional<Error> why;
    for (const Planned& p : calls) {
      if (p.error && failing == nullptr) {
        failing = &p;
        why = Error(p.error->code(), p.name + ": " + p.error->message(), p.error->details());
      }
    }
    if (failing == nullptr && (answer == nullptr || unanswered)) {
      why = Error(ErrorCode::kUpstreamFailure,
                  "the service did not run this change set: it stopped the batch after an "
                  "earlier failure");
    } else if (failing == nullptr && answer->failed) {
      const odata::HttpResponse& response = answer->responses.front();
      const auto id = response.header("Content-ID");
      for (const Planned& p : calls) {
        if (id && *id == p.contentId) failing = &p;
      }
      if (failing == nullptr && calls.size() == 1) failing = &calls.front();
      const Error upstream = client().failure(response, "POST", "$batch");
      why = Error(upstream.code(),
                  (failing != nullptr ? failing->name : std::string("a call")) +
                      " failed: " + upstream.message() + "; no call of this change set was applied",
                  upstream.details());
    }
    if (why) {
      for (const Planned& p : calls) {
        BatchCallOutcome outcome;
        sink_.rowsOf(*p.call);
        if (&p == failing) {
          outcome.error = *why;
        } else {
          outcome.error = Error(ErrorCode::kFailedDependency,
                                "not applied: " + (failing != nullptr ? failing->name : "a call") +
                                    " of this change set failed");
        }
        outcome.status = core::httpStatus(outcome.error->code());
        sink_.outcome(*p.call, outcome);
      }
      sink_.endItem(item, core::httpStatus(why->code()), &*why);
      return;
    }
    // Applied: each call's answer read like its own, the created entities' URLs known now.
    for (std::size_t c = 0; c < calls.size(); ++c) {
      Planned& p = calls[c];
      if (!p.referencedCall.empty()) {
        for (const Planned& o : calls) {
          const auto* created = dynamic_cast<const internal::EntityCall*>(o.method.get());
          if ("$" + o.contentId == p.referencedCall && created != nullptr) {
            p.method->addressEntityAs(created->createdEntity());
          }
        }
      }
      BatchCallOutcome outcome;
      RowSink& rows = sink_.rowsOf(*p.call);
      answerCall(p, answer->responses[c], rows, outcome);
      if (outcome.error) outcome.status = core::httpStatus(outcome.error->code());
      sink_.outcome(*p.call, outcome);
    }
    sink_.endItem(item, 200, nullptr);
  }

  void answerCall(Planned& p, odata::HttpResponse& response, RowSink& rows,
                  BatchCallOutcome& outcome) {
    try {
      if (response.status < 200 || response.status >= 300) {
        outcome.result =
            p.method->failed(client().failure(response, p.plan.request.method, p.plan.request.url));
      } else {
        outcome.result = p.method->finish(response, rows);
      }
      outcome.status = status(*p.method);
    } catch (const Error& e) {
      outcome.error = e;
    }
  }

  const Instance& instance_;
  const BatchRequest& batch_;
  BatchSink& sink_;
  CallStats& stats_;
  std::vector<std::deque<Planned>> planned_;  // per item
};

}  // namespace

void executeBatch(const Instance& instance, const BatchRequest& batch, BatchSink& sink,
                  CallStats* stats) {
  CallStats unused;
  BatchRun run(instance, batch, sink, stats ? *stats : unused);
  try {
    run.run();
  } catch (const Error& e) {
    const bool unsupported = e.code() == ErrorCode::kInvalidArgument && !e.details().empty() &&
                             e.message().starts_with("the service does not take $batch");
    if (!unsupported || !batch.sequentialFallback) throw;
    if (anyChangeSet(batch)) {
      throw Error(ErrorCode::kInvalidArgument,
                  e.message() +
                      "; change sets are never run one by one, as they would not be "
                      "atomic");
    }
    BatchRun sequential(instance, batch, sink, stats ? *stats : unused);
    sequential.runSequentially();
  }
}

}  // namespace broker::engine
