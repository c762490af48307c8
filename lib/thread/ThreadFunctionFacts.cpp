//===--- ThreadFunctionFacts.cpp - leak-tidy ------------------------------===//
//
// Thread summaries across translation units (project facts, kind
// `function`, "family":"thread"): a function defined in this TU's main file
// that returns a fresh thread or joins/detaches the thread it is given is
// exported; a function this TU only declares is answered from the facts of
// the TU defining it (returnsFreshThread, calleeEffectOnParam). See
// docs/architecture.md, "Project facts".
//
//===----------------------------------------------------------------------===//
#include "lib/program/ProjectFacts.h"
#include "lib/thread/ThreadFacts.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/Basic/SourceManager.h"

namespace clang {
namespace leaklib {

namespace {
constexpr llvm::StringLiteral Kind = "function";

/// A parameter that can carry a thread to join: a thread (by value or
/// reference) or a C handle by value.
bool isThreadParam(const ParmVarDecl *P, const ThreadApi &Api) {
  return threadRecord(P->getType(), Api) ||
         isThreadHandleType(P->getType(), Api);
}

/// \p FD is declared in user code (not a system header): a function of the
/// project that another TU may define.
bool projectFunction(const FunctionDecl *FD) {
  const SourceManager &SM = FD->getASTContext().getSourceManager();
  return !SM.isInSystemHeader(SM.getExpansionLoc(FD->getLocation()));
}

/// The thread records of other TUs about \p FD.
std::vector<ProjectFacts::Record> threadSummaries(const FunctionDecl *FD) {
  std::vector<ProjectFacts::Record> Out =
      ProjectFacts::get(FD->getASTContext()).lookup(FD, Kind);
  llvm::erase_if(Out, [](const ProjectFacts::Record &R) {
    return R.Payload.getString("family") != "thread";
  });
  return Out;
}
} // namespace

bool exportsThreadSummary(const FunctionDecl *FD, const ThreadApi &Api) {
  if (!FD || FD->isDependentContext() || !FD->doesThisDeclarationHaveABody())
    return false;
  if (isThreadHandleType(FD->getReturnType(), Api))
    return true;
  return llvm::any_of(FD->parameters(), [&](const ParmVarDecl *P) {
    return isThreadParam(P, Api);
  });
}

void exportThreadSummary(const FunctionDecl *FD, const ThreadApi &Api) {
  ProjectFacts &PF = ProjectFacts::get(FD->getASTContext());
  const SourceManager &SM = FD->getASTContext().getSourceManager();
  if (!PF.exporting() || !exportsThreadSummary(FD, Api) ||
      !SM.isInMainFile(SM.getExpansionLoc(FD->getLocation())) ||
      !ProjectFacts::visibleToOtherTUs(FD))
    return;
  llvm::json::Array Releases;
  for (unsigned I = 0; I < FD->getNumParams(); ++I)
    if (isThreadParam(FD->getParamDecl(I), Api) &&
        calleeEffectOnParam(FD, I, Api) != HandleEffect::Escapes)
      Releases.push_back(I);
  bool Fresh = isThreadHandleType(FD->getReturnType(), Api) &&
               returnsFreshThread(FD, Api);
  PF.add(FD, Kind,
         llvm::json::Object{{"family", "thread"},
                            {"returns_fresh", Fresh ? "thread" : ""},
                            {"releases_param", std::move(Releases)}},
         FD->getLocation());
}

bool freshThreadElsewhere(const FunctionDecl *FD, const ThreadApi &Api) {
  if (!FD || FD->hasBody() || !projectFunction(FD) ||
      !isThreadHandleType(FD->getReturnType(), Api))
    return false;
  return llvm::any_of(threadSummaries(FD), [](const ProjectFacts::Record &R) {
    return R.Payload.getString("returns_fresh") == "thread";
  });
}

bool releasesParamElsewhere(const FunctionDecl *FD, unsigned I,
                            const ThreadApi &Api) {
  if (!FD || FD->hasBody() || I >= FD->getNumParams() || !projectFunction(FD) ||
      !isThreadParam(FD->getParamDecl(I), Api))
    return false;
  return llvm::any_of(threadSummaries(FD), [I](const ProjectFacts::Record &R) {
    const llvm::json::Array *A = R.Payload.getArray("releases_param");
    return A && llvm::any_of(*A, [I](const llvm::json::Value &V) {
             return V.getAsInteger() == std::optional<int64_t>(I);
           });
  });
}

} // namespace leaklib
} // namespace clang
