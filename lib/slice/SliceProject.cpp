//===--- SliceProject.cpp - leak-tidy -------------------------------------===//
//
// Helpers that hand back their argument, across translation units (project
// facts, kind `function`, "family":"slice"): a function defined in this TU's
// main file whose every return gives back one parameter, or a member of it
// (FunctionSummaries::returnedParam), is exported with that parameter; a
// call of a project function this TU only declares takes its buffer's origin
// from that argument when the TU defining it says so (originOfCall). See
// docs/architecture.md, "Project facts".
//
//===----------------------------------------------------------------------===//
#include "lib/program/FunctionSummaries.h"
#include "lib/program/ProjectFacts.h"
#include "lib/slice/SliceModel.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/Basic/SourceManager.h"

namespace clang {
namespace leaklib {

namespace {
constexpr llvm::StringLiteral Kind = "function";

/// What may hand back an owner of a buffer: a pointer, a reference or an
/// object (a smart pointer, a container), from a function with parameters.
bool mayReturnParam(const FunctionDecl *FD) {
  QualType T = FD->getReturnType();
  return FD->getNumParams() > 0 && !T.isNull() && !T->isDependentType() &&
         (T->isPointerType() || T->isReferenceType() || T->isRecordType());
}

void exportIn(const DeclContext *DC, ASTContext &Ctx, unsigned Depth) {
  if (Depth > 8)
    return;
  const SourceManager &SM = Ctx.getSourceManager();
  ProjectFacts &PF = ProjectFacts::get(Ctx);
  for (const Decl *D : DC->decls()) {
    if (isa<NamespaceDecl, LinkageSpecDecl>(D) ||
        (isa<CXXRecordDecl>(D) && !cast<CXXRecordDecl>(D)->isDependentType())) {
      exportIn(cast<DeclContext>(D), Ctx, Depth + 1);
      continue;
    }
    const auto *FD = dyn_cast<FunctionDecl>(D);
    if (!FD || !FD->doesThisDeclarationHaveABody() ||
        FD->isDependentContext() || !mayReturnParam(FD) ||
        !SM.isWrittenInMainFile(SM.getExpansionLoc(FD->getLocation())) ||
        !ProjectFacts::visibleToOtherTUs(FD))
      continue;
    bool Member = false;
    std::optional<unsigned> P =
        FunctionSummaries::get(Ctx).returnedParam(FD, Member);
    if (P)
      PF.add(FD, Kind,
             llvm::json::Object{{"family", "slice"},
                                {"returns_param", static_cast<int64_t>(*P)},
                                {"through_member", Member}},
             FD->getLocation());
  }
}
} // namespace

void exportSliceSummaries(ASTContext &Ctx) {
  ProjectFacts &PF = ProjectFacts::get(Ctx);
  if (!PF.exporting() || !PF.claim("slice-function"))
    return;
  exportIn(Ctx.getTranslationUnitDecl(), Ctx, 0);
}

std::optional<unsigned> returnedParamElsewhere(const FunctionDecl *FD,
                                               bool &ThroughMember,
                                               BufferOrigin *Via) {
  ThroughMember = false;
  if (!FD || FD->hasBody() || !mayReturnParam(FD))
    return std::nullopt;
  ASTContext &Ctx = FD->getASTContext();
  const SourceManager &SM = Ctx.getSourceManager();
  if (SM.isInSystemHeader(SM.getExpansionLoc(FD->getLocation())) ||
      !ProjectFacts::get(Ctx).active())
    return std::nullopt;
  std::optional<unsigned> Index;
  for (const ProjectFacts::Record &R :
       ProjectFacts::get(Ctx).lookup(FD, Kind)) {
    if (R.Payload.getString("family") != "slice")
      continue;
    std::optional<int64_t> I = R.Payload.getInteger("returns_param");
    if (!I || *I < 0 || (Index && *Index != *I))
      return std::nullopt; // TUs disagree (several definitions): not said
    Index = static_cast<unsigned>(*I);
    ThroughMember |= R.Payload.getBoolean("through_member").value_or(true);
    if (Via && !Via->ViaHelper) {
      Via->ViaHelper = FD;
      Via->Via = ProjectFacts::get(Ctx).locationOf(R);
      if (Via->Via.isInvalid())
        Via->ViaWhere = R.File + ":" + std::to_string(R.Line);
    }
  }
  if (Index && *Index >= FD->getNumParams())
    return std::nullopt;
  return Index;
}

} // namespace leaklib
} // namespace clang
