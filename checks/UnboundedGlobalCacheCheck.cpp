//===--- UnboundedGlobalCacheCheck.cpp - leak-tidy
//----------------------------------===//
#include "checks/UnboundedGlobalCacheCheck.h"
#include "clang/AST/Decl.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "llvm/ADT/StringSet.h"

using namespace clang::ast_matchers;

namespace clang::tidy::leak {

namespace {
/// Growing calls shown as notes; the rest are counted.
constexpr unsigned MaxGrowthNotes = 3;
} // namespace

UnboundedGlobalCacheCheck::UnboundedGlobalCacheCheck(StringRef Name,
                                                     ClangTidyContext *Context)
    : LeakCheck(Name, Context) {
  Model.addContainerTypes(nameListOption("ContainerTypes", ""));
  Model.addGrowMethods(identifierListOption("GrowMethods", ""));
  Model.addShrinkMethods(identifierListOption("ShrinkMethods", ""));
  addCApiOptions();
  Model.setBoundedTypes(nameListOption(
      "BoundedCacheTypes", leaklib::ContainerModel::defaultBoundedTypes()));
  UseOptions.OnceFunctions = leaklib::NameMatcher(nameListOption(
      "OnceFunctions", leaklib::ContainerModel::defaultOnceFunctions()));
  UseOptions.AssumeExternalContainersUnbounded =
      boolOption("AssumeExternalContainersUnbounded", false);
}

/// GrowFunctions / ShrinkFunctions: the project's own C container API. Each
/// entry is a C function name; one named in both lists is a configuration
/// error (and ignored).
void UnboundedGlobalCacheCheck::addCApiOptions() {
  std::vector<std::string> Grow = identifierListOption("GrowFunctions", "");
  std::vector<std::string> Shrink = identifierListOption("ShrinkFunctions", "");
  llvm::StringSet<> ShrinkSet;
  for (const std::string &N : Shrink)
    ShrinkSet.insert(N);
  std::vector<std::string> GrowOnly;
  for (const std::string &N : Grow) {
    if (!ShrinkSet.count(N)) {
      GrowOnly.push_back(N);
      continue;
    }
    configurationDiag("invalid value in options '%0.GrowFunctions' and "
                      "'%0.ShrinkFunctions': '%1' is named in both; the "
                      "entry is ignored")
        << getID() << N;
    ShrinkSet.erase(N);
  }
  std::vector<std::string> ShrinkOnly;
  for (const std::string &N : Shrink)
    if (ShrinkSet.count(N))
      ShrinkOnly.push_back(N);
  Model.addCApiFunctions(GrowOnly, ShrinkOnly);
}

void UnboundedGlobalCacheCheck::registerMatchers(MatchFinder *Finder) {
  // The whole translation unit is one candidate: grow and shrink sites of a
  // container may be in any function.
  Finder->addMatcher(translationUnitDecl().bind("tu"), this);
}

void UnboundedGlobalCacheCheck::check(const MatchFinder::MatchResult &Result) {
  if (Result.Nodes.getNodeAs<TranslationUnitDecl>("tu"))
    PendingTU = Result.Context;
}

void UnboundedGlobalCacheCheck::onStartOfTranslationUnit() {
  PendingTU = nullptr;
}

/// The index of a container's storage in the %select of the warning:
/// global, static local, static data member, member, the three
/// thread_local forms, and a local (of main(), or of a function that never
/// returns).
static unsigned storageWord(const leaklib::UnboundedContainer &U) {
  using leaklib::StorageKind;
  unsigned ThreadLocal = U.Storage == StorageKind::ThreadLocal ? 4 : 0;
  switch (U.Scope) {
  case StorageKind::StaticLocal:
    return ThreadLocal + 1;
  case StorageKind::StaticMember:
    return ThreadLocal + 2;
  case StorageKind::Member:
    return 3;
  case StorageKind::Automatic:
    return 7;
  default:
    return ThreadLocal;
  }
}

void UnboundedGlobalCacheCheck::onEndOfTranslationUnit() {
  ASTContext *Ctx = PendingTU;
  PendingTU = nullptr;
  if (!Ctx || Ctx->getDiagnostics().hasUncompilableErrorOccurred())
    return;
  for (const leaklib::UnboundedContainer &U :
       leaklib::findUnboundedContainers(*Ctx, Model, UseOptions))
    report(U);
}

/// The index of how the container grows in the %select of the warning:
/// run-time keys, run-time values, or constant elements on every call.
static unsigned growthWord(const leaklib::UnboundedContainer &U) {
  if (U.Kind.Associative)
    return 0;
  for (const leaklib::ContainerGrowth &G : U.Growths)
    if (!G.Constant)
      return 1;
  return 2;
}

/// The index of the inner containers' kind in the %select of the nested
/// warning: maps, sets, strings, sequences.
static unsigned innerWord(const leaklib::ContainerKind &K) {
  if (K.Associative)
    return K.SubscriptGrows ? 0 : 1;
  llvm::StringRef N(K.Noun);
  return N.contains("string") || N.contains("String") || N.contains("ByteArray")
             ? 2
             : 3;
}

void UnboundedGlobalCacheCheck::report(const leaklib::UnboundedContainer &U) {
  std::string Name = U.Decl->getNameAsString();
  if (!U.Owner.empty())
    Name = (llvm::Twine(U.Owner) + "::" + Name).str();
  if (U.Nested)
    diag(U.ReportLoc,
         "the inner %select{maps|sets|strings|sequences}0 of %select{global|"
         "static local|static data member|member|thread_local|thread_local "
         "local|thread_local static data member|local}1 %2 '%3' only grow: "
         "%select{entries are added with run-time keys|elements are added "
         "with run-time values|elements are added on every call}4 and never "
         "removed (the outer level is bounded, each inner %5 is not); bound "
         "each inner %5 or evict its entries")
        << innerWord(U.Kind) << storageWord(U) << U.OuterKind.TypeName << Name
        << growthWord(U) << U.Kind.TypeName;
  else
    diag(U.ReportLoc,
         "%select{global|static local|static data member|member|thread_local|"
         "thread_local local|thread_local static data member|local}0 %1 '%2' "
         "only "
         "grows: %select{entries are added with run-time keys|elements are "
         "added with run-time values|elements are added on every call}3 and "
         "never removed; bound it (LRU, TTL or size cap) or evict entries when "
         "they die")
        << storageWord(U) << U.Kind.TypeName << Name << growthWord(U);
  if (U.ReportLoc != U.Decl->getLocation())
    diag(U.Decl->getLocation(), "'%0' declared here", DiagnosticIDs::Note)
        << Name;
  if (!U.LongLivedWhy.empty())
    diag(U.LongLivedLoc, "lives as long as the process: %0",
         DiagnosticIDs::Note)
        << U.LongLivedWhy;
  unsigned Shown = 0;
  for (const leaklib::ContainerGrowth &G : U.Growths) {
    if (Shown == MaxGrowthNotes)
      break;
    ++Shown;
    unsigned More = Shown == MaxGrowthNotes
                        ? static_cast<unsigned>(U.Growths.size()) - Shown
                        : 0;
    diag(G.Loc,
         "grows here: '%0' adds %select{a key|an element}1 from %2"
         "%select{|; %3 more growing calls not shown}4",
         DiagnosticIDs::Note)
        << G.Operation << (G.Keyed ? 0 : 1) << G.KeySource << More
        << (More ? 1 : 0);
    if (!G.NoteText.empty())
      diag(G.NoteLoc.isValid() ? G.NoteLoc : G.Loc, "%0", DiagnosticIDs::Note)
          << G.NoteText;
  }
  for (const leaklib::ProjectNote &N : U.ProjectNotes)
    diag(N.Loc.isValid() ? N.Loc : U.ReportLoc, "%0", DiagnosticIDs::Note)
        << N.Text;
  if (U.UnguardingSizeTest.isValid())
    diag(U.UnguardingSizeTest,
         "this size comparison does not cap the growth: no growing call "
         "runs only when it finds the %0 below its bound",
         DiagnosticIDs::Note)
        << U.Kind.Noun;
}

} // namespace clang::tidy::leak
