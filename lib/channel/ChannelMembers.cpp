//===--- ChannelMembers.cpp - leak-tidy ----------------------------------===//
#include "lib/channel/ChannelMembers.h"
#include "lib/core/AstHelpers.h"
#include "lib/core/LoopFacts.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"

namespace clang {
namespace leaklib {

namespace {

/// Whether \p E reads a flag another method can set: a member of `this`, a
/// global or static, an atomic. The value just received (a local) is not
/// one: a consumer that stops on a sentinel stops when the producers say.
bool readsStopFlag(const Expr *E) {
  return E &&
         anyStmt(
             E,
             [](const Stmt *S) {
               if (const auto *ME = dyn_cast<MemberExpr>(S))
                 return isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts());
               if (const auto *DR = dyn_cast<DeclRefExpr>(S))
                 if (const auto *VD = dyn_cast<VarDecl>(DR->getDecl())) {
                   if (VD->hasGlobalStorage())
                     return true;
                   const auto *RD = VD->getType()
                                        .getNonReferenceType()
                                        ->getAsCXXRecordDecl();
                   return RD && RD->getIdentifier() &&
                          (RD->getName().contains("atomic") ||
                           RD->getName().contains("stop_token"));
                 }
               return false;
             },
             LambdaPolicy::Skip);
}

/// The first way out of \p Loop taken on a stop flag (an `if` around it
/// reads one), or null.
const Stmt *flagExit(const Stmt *Loop) {
  const Stmt *Found = nullptr;
  forEachLoopExit(Loop,
                  [&](const Stmt *Exit, llvm::ArrayRef<const Expr *> Guards) {
                    if (llvm::any_of(Guards, readsStopFlag))
                      Found = Exit;
                    return !Found;
                  });
  return Found;
}

/// Where the consumer loop around receive \p R can stop reading on a flag:
/// its condition, or an exit taken on the flag. Null when it reads until
/// the channel is closed, or it is no loop.
const Stmt *consumerStop(const ChannelRef &R, ASTContext &Ctx) {
  const Stmt *Node = R.Use.Node;
  const Stmt *Loop =
      R.Use.K == ChannelUse::Drain
          ? Node
          : enclosingLoop(Node, Ctx, nullptr, LoopPart::BodyAndCondition);
  if (!Loop)
    return nullptr;
  bool CloseOnly = R.Use.K == ChannelUse::Drain ||
                   enclosingLoop(Node, Ctx, nullptr, LoopPart::Body) != Loop;
  if (const Stmt *Exit = flagExit(Loop))
    return Exit;
  const Expr *Cond = loopCondition(Loop);
  if (!CloseOnly && Cond && readsStopFlag(Cond))
    return Cond;
  return nullptr;
}

} // namespace

std::vector<ChannelFinding>
findStoppedConsumers(const ChannelIndex &I, ASTContext &Ctx,
                     const llvm::DenseSet<const ValueDecl *> &Reported) {
  std::vector<ChannelFinding> Out;
  const SourceManager &SM = Ctx.getSourceManager();
  for (const auto &[D, H] : I.Handles) {
    const auto *FD = dyn_cast<FieldDecl>(D);
    if (!FD || Reported.count(D) || H.F->Capacity == CapacityKind::Unbounded ||
        H.F->Capacity == CapacityKind::Promise ||
        !SM.isInMainFile(FD->getParent()->getLocation()) ||
        (!ChannelModel::isByValue(FD->getType()) && !I.Created.count(FD)))
      continue;
    const Expr *Send = nullptr;
    const Stmt *Stop = nullptr;
    bool OutOfSight = false, Closed = false;
    for (const ChannelRef &R : H.Refs) {
      switch (R.Use.K) {
      case ChannelUse::Operation:
        if (R.Use.Op == ChannelOp::Close)
          Closed = true;
        else if (R.Use.Op == ChannelOp::Send && !Send)
          Send = R.Ref;
        else if ((R.Use.Op == ChannelOp::Receive ||
                  R.Use.Op == ChannelOp::TryReceive) &&
                 !Stop)
          Stop = consumerStop(R, Ctx);
        break;
      case ChannelUse::Drain:
        if (!Stop)
          Stop = consumerStop(R, Ctx);
        break;
      case ChannelUse::Neutral:
        break;
      default:
        OutOfSight = true; // passed on, stored, aliased: others may close it
        break;
      }
    }
    if (Closed || OutOfSight || !Send || !Stop)
      continue;
    ChannelFinding Fd;
    Fd.Why = NoReader::ConsumerStops;
    Fd.Channel = FD;
    Fd.Send = Send;
    Fd.Notes.push_back(ChannelNote::at(ChannelNote::ConsumerStopsHere, Stop));
    Fd.Notes.push_back(ChannelNote::at(ChannelNote::ProducerSends, Send));
    Fd.Notes.push_back(ChannelNote::atDecl(ChannelNote::NeverClosed, FD));
    Fd.Fix = ChannelFix::CloseWhenConsumerStops;
    Out.push_back(std::move(Fd));
  }
  return Out;
}

} // namespace leaklib
} // namespace clang
