// A call on an entity service object: the entity set behind it and its methods, each planned
// as its first request and finished on the answer. The definitions are split by method family:
// entity_call.cpp (addressing, payloads, Load, Delete, dispatch), entity_list.cpp (List),
// entity_write.cpp (Create, Update, streams), entity_links.cpp (CreateLink, DeleteLink).
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "broker/core/temp_file.h"
#include "broker/odata/filter.h"
#include "media.h"
#include "method_call.h"
#include "row_writer.h"

namespace broker::engine::internal {

class EntityCall final : public MethodCall {
 public:
  EntityCall(const Instance& instance, const so::ServiceObject& object, const so::Method& method,
             const CallRequest& request, CallStats& stats);

  odata::RequestPlan plan() override;
  CallResult finish(odata::HttpResponse& response, RowSink& sink) override;
  CallResult failed(const Error& error) override;
  void readBackAnswered(odata::HttpResponse response) override {
    readBackAnswer_ = std::move(response);
  }
  void addressEntityAs(std::string reference) override { entityReference_ = std::move(reference); }
  CallContext& context() override { return call_; }

  /// After a Create finished: the created entity's URL (its Location, or as its keys name it).
  const std::string& createdEntity() const { return created_; }

 private:
  // ---- addressing (entity_call.cpp) ----
  /// `Set`, or `Container.Set` for a set of a V2/V3 container that is not the default one.
  std::string pathOf(const edm::EntitySet& set) const;
  /// The entity the key inputs name (or the Content-ID reference it was given).
  std::string entityUrl() const;
  /// The entity URL from the key values a payload holds.
  std::string entityUrlOf(const odata::Entry& entry) const;
  /// The returned fields, and the keys (to address the entity and its streams).
  void prepareEntityFields();
  /// A stream's link: the payload's, else built from the entity's keys.
  std::string streamLink(const odata::Entry& entry, const so::Property& content) const;
  /// `Set(1)/$value` for media content, `Set(1)/Name` for a named stream.
  static std::string streamPath(const std::string& entity, const so::Property& content);
  /// $select of the first `fields` fields read.
  std::string selectList(std::size_t fields) const;
  /// `$expand` of the call's expand (400 when the instance excludes it).
  void addExpand(odata::Query& query) const;
  /// Reads an answer holding one entity and emits it; `written`: the entity a write just
  /// stored, read without failing the call.
  CallResult readOne(odata::HttpResponse& response, RowSink& sink, bool written);
  /// Reads the entity at `url` back and emits it (after a write), from the answer a batch
  /// already holds when there is one.
  CallResult readBack(const std::string& url, RowSink& sink);
  odata::Call readBackCall(const std::string& url) const;
  bool ignoresNotFound(const Error& error) const;

  // ---- Load (entity_call.cpp) ----
  odata::RequestPlan planLoad();
  CallResult finishLoad(odata::HttpResponse& response, RowSink& sink);
  /// Load returns stream content: each stream returned is downloaded into a file.
  void downloadStreams();
  /// The Path or MIME Type property that goes with a stream's content.
  const so::Property* companion(const so::Property& content, Role role) const;

  // ---- List (entity_list.cpp) ----
  odata::RequestPlan planList();
  CallResult finishList(odata::HttpResponse& response, RowSink& sink);
  struct ListSource {
    std::string path;
    bool single = false;
  };
  ListSource listSource() const;
  std::vector<std::pair<const edm::NavigationProperty*, std::vector<const so::Property*>>>
  navigationInputs() const;
  std::optional<odata::Filter> listFilter();
  bool toOneNavigationKey(const so::Property& property) const;
  std::string orderByList() const;

  // ---- Create, Update, Delete and streams (entity_write.cpp) ----
  struct StreamInput {
    const so::Property* content;
    Upload upload;
    std::string slug;         // the Path input, else the file's name
    std::string contentType;  // the MIME Type input, else the file's, else by its name
  };
  odata::RequestPlan planCreate();
  CallResult finishCreate(odata::HttpResponse& response, RowSink& sink);
  odata::RequestPlan planUpdate();
  CallResult finishUpdate(RowSink& sink);
  odata::RequestPlan planDelete();
  std::vector<StreamInput> streamInputs() const;
  void addFileNameInputs(const std::vector<StreamInput>& streams);
  odata::Call streamPut(const std::string& entity, const StreamInput& in) const;
  bool setsData() const;
  std::string createdUrl(const odata::HttpResponse& response, const odata::Entry* entry) const;
  void setPayload(odata::Call& call, bool withKeys) const;
  std::string payload(bool withKeys) const;
  std::string atomPayload(bool withKeys) const;
  /// Deep insert: the related entities given inline (`json`) for `nav`, checked against the
  /// related type and written as the payload's member.
  void writeInline(core::JsonWriter& writer, const edm::NavigationProperty& nav,
                   const std::string& json, const std::string& where) const;
  std::string ifMatch() const;
  bool hasETag() const;
  std::string mergeMethod() const;

  // ---- CreateLink, DeleteLink (entity_links.cpp) ----
  odata::RequestPlan planLink(bool create);

  CallContext call_;
  RowWriter rows_;
  const edm::Model& model_;
  const edm::EntitySet* set_;
  std::string entityReference_;                                         // see addressEntityAs
  std::optional<odata::HttpResponse> readBackAnswer_;                   // see readBackAnswered
  std::vector<std::pair<const so::Property*, std::size_t>> keyFields_;  // key → field
  std::deque<core::TempFile> downloads_;  // stream content Load returns, kept for the sink
  // Between plan and finish:
  odata::RowWork rowWork_;               // List: what the broker does to the rows
  std::optional<odata::Filter> filter_;  // List: the call's filter, bound to fields_
  std::string url_;                      // the first request's URL
  std::vector<StreamInput> streams_;     // Create, Update: stream contents given
  std::size_t sentStreams_ = 0;          // streams_ already written by plan()'s request
  std::string created_;                  // see createdEntity
};

}  // namespace broker::engine::internal
