//===--- TimerFunctionFacts.cpp - leak-tidy -------------------------------===//
//
// Timer summaries across translation units (project facts, kind `function`,
// "family":"timer"): a function defined in this TU's main file that returns
// a fresh timer (freshTimerIn) is exported with the timer's framework; a
// call of a project function this TU only declares is a creation when the
// TU defining it says so (isTimerCreation). See docs/architecture.md,
// "Project facts".
//
//===----------------------------------------------------------------------===//
#include "lib/program/ProjectFacts.h"
#include "lib/timer/PileUpFacts.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/Basic/SourceManager.h"

namespace clang {
namespace leaklib {

namespace {
constexpr llvm::StringLiteral Kind = "function";

/// The frameworks of a fresh timer another TU can ask about (freshTimerIn
/// leaves out Qt, GLib, libuv and POSIX timers; mayReturnTimer, timerfds),
/// by their name in the facts.
constexpr std::pair<llvm::StringLiteral, TimerFramework> Frameworks[] = {
    {"asio", TimerFramework::Asio},
    {"libevent", TimerFramework::LibEvent},
    {"user", TimerFramework::User},
};

/// What a function returning a fresh timer that another TU asks about
/// returns: a timer class (pointer, smart pointer) or a libevent
/// `struct event *`. A timerfd is a plain int: asking about every function
/// returning an int is not worth it (cost, and re-runs of phase 2).
bool mayReturnTimer(const FunctionDecl *FD, const TimerModel &Model) {
  QualType T = FD->getReturnType();
  if (T.isNull() || T->isDependentType())
    return false;
  if (Model.timerClassOf(T))
    return true;
  const RecordDecl *RD =
      T->isPointerType() ? T->getPointeeType()->getAsRecordDecl() : nullptr;
  return RD && RD->getName() == "event";
}
} // namespace

void exportTimerSummary(const FunctionDecl *FD, const TimerModel &Model) {
  if (!FD || FD->isDependentContext() || !FD->doesThisDeclarationHaveABody() ||
      !ProjectFacts::get(FD->getASTContext()).exporting() ||
      !mayReturnTimer(FD, Model))
    return;
  const SourceManager &SM = FD->getASTContext().getSourceManager();
  if (!SM.isInMainFile(SM.getExpansionLoc(FD->getLocation())) ||
      !ProjectFacts::visibleToOtherTUs(FD))
    return;
  TimerFramework F = TimerFramework::User;
  if (!freshTimerIn(FD, Model, &F))
    return;
  for (const auto &[Name, Framework] : Frameworks)
    if (Framework == F)
      ProjectFacts::get(FD->getASTContext())
          .add(FD, Kind,
               llvm::json::Object{{"family", "timer"},
                                  {"returns_fresh", "timer"},
                                  {"framework", Name}},
               FD->getLocation());
}

bool freshTimerElsewhere(const CallExpr *CE, const TimerModel &Model,
                         TimerFramework *Framework) {
  const FunctionDecl *FD = CE ? CE->getDirectCallee() : nullptr;
  if (!FD || FD->hasBody() || !mayReturnTimer(FD, Model))
    return false;
  const SourceManager &SM = FD->getASTContext().getSourceManager();
  if (SM.isInSystemHeader(SM.getExpansionLoc(FD->getLocation())))
    return false;
  for (const ProjectFacts::Record &R :
       ProjectFacts::get(FD->getASTContext()).lookup(FD, Kind)) {
    if (R.Payload.getString("family") != "timer" ||
        R.Payload.getString("returns_fresh") != "timer")
      continue;
    std::optional<llvm::StringRef> Name = R.Payload.getString("framework");
    for (const auto &[N, F] : Frameworks)
      if (Name == N) {
        if (Framework)
          *Framework = F;
        return true;
      }
  }
  return false;
}

} // namespace leaklib
} // namespace clang
