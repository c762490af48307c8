//===--- ChannelProject.cpp - leak-tidy -----------------------------------===//
//
// Project facts of leak-channel-without-reader's form 3 (docs/architecture.md,
// "Project facts"): a channel other translation units see -- a global with
// external linkage, a member of a class defined in a project header -- may be
// drained in another file. This TU exports what it does with such a channel
// (`channel_op`: send, receive, escape) and asks the store whether any other
// TU receives from it or hands it on.
//
//===----------------------------------------------------------------------===//
#include "lib/channel/ChannelFacts.h"
#include "lib/program/ProjectFacts.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace clang {
namespace leaklib {

namespace {
constexpr llvm::StringLiteral Kind = "channel_op";
/// Notes about other files' sends shown at most.
constexpr unsigned MaxSentElsewhere = 3;
} // namespace

void exportChannelOps(const ValueDecl *D, const SharedChannelOps &Ops,
                      ASTContext &Ctx) {
  ProjectFacts &PF = ProjectFacts::get(Ctx);
  if (!PF.exporting())
    return;
  const std::pair<const Expr *, llvm::StringLiteral> Lines[] = {
      {Ops.Send, "send"}, {Ops.Read, "receive"}, {Ops.Escape, "escape"}};
  for (const auto &[At, Op] : Lines)
    if (At)
      PF.add(D, Kind, llvm::json::Object{{"op", Op}}, At->getExprLoc());
}

std::optional<bool> readElsewhere(llvm::ArrayRef<const ValueDecl *> Shared,
                                  ASTContext &Ctx,
                                  std::vector<ChannelNote> &Notes) {
  ProjectFacts &PF = ProjectFacts::get(Ctx);
  if (!PF.active())
    return std::nullopt;
  // Ask about every declaration (so that phase 1 records the questions),
  // once per variable.
  llvm::SmallPtrSet<const Decl *, 4> Asked;
  std::vector<ProjectFacts::Record> Records;
  for (const ValueDecl *D : Shared)
    if (Asked.insert(D->getCanonicalDecl()).second)
      for (ProjectFacts::Record &R : PF.lookup(D, Kind))
        Records.push_back(std::move(R));
  if (!PF.hasStore())
    return std::nullopt; // unknown: as without the facts
  for (const ProjectFacts::Record &R : Records) {
    std::optional<llvm::StringRef> Op = R.Payload.getString("op");
    if (!Op || *Op != "send")
      return true; // received, handed on, or something we do not know
  }
  // Closed world: the store knows every TU, none receives from it.
  ChannelNote N =
      ChannelNote::atDecl(ChannelNote::NoReaderInProject, Shared.front());
  Notes.push_back(N);
  for (const ProjectFacts::Record &R : Records) {
    if (Notes.size() > MaxSentElsewhere)
      break;
    ChannelNote E;
    E.K = ChannelNote::SentElsewhere;
    E.Loc = PF.locationOf(R);
    if (E.Loc.isInvalid())
      E.Where = R.File + ":" + std::to_string(R.Line);
    Notes.push_back(E);
  }
  return false;
}

} // namespace leaklib
} // namespace clang
