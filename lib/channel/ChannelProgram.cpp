//===--- ChannelProgram.cpp - leak-tidy ----------------------------------===//
#include "lib/channel/ChannelProgram.h"
#include "lib/channel/ChannelIndex.h"
#include "lib/core/AstHelpers.h"
#include "lib/core/LoopFacts.h"
#include "lib/program/FunctionSummaries.h"
#include "lib/program/ProgramFacts.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace clang {
namespace leaklib {

namespace {

/// Whether every call of \p Def runs its body to the end: no return before
/// its last statement, no goto, no throw (lambdas in it are not looked at).
bool runsStraight(const FunctionDecl *Def) {
  const auto *Body = dyn_cast_or_null<CompoundStmt>(Def->getBody());
  if (!Body)
    return false;
  const Stmt *Last = Body->body_empty() ? nullptr : Body->body_back();
  return !anyStmt(
      Body,
      [&](const Stmt *S) {
        if (isa<ReturnStmt>(S))
          return S != Last;
        return isa<GotoStmt, IndirectGotoStmt, CXXThrowExpr, CoreturnStmt,
                   CXXTryStmt>(S);
      },
      LambdaPolicy::Skip);
}

/// The expression a top-level statement evaluates: itself, its return
/// value, or the initializer of the one variable it declares.
const Expr *topExpr(const Stmt *S) {
  const Expr *E = dyn_cast<Expr>(S);
  if (const auto *R = dyn_cast<ReturnStmt>(S))
    E = R->getRetValue();
  else if (const auto *DS = dyn_cast<DeclStmt>(S))
    if (const auto *VD = DS->isSingleDecl()
                             ? dyn_cast<VarDecl>(DS->getSingleDecl())
                             : nullptr)
      E = VD->getInit();
  return E ? ignoreTransparent(E, PeelValue | PeelConversions) : nullptr;
}

/// The uses of a helper's channel parameter, sorted by what they do.
struct ParamUses {
  llvm::SmallPtrSet<const Stmt *, 4> Receives, Closes, Drains;
};

/// False when some use is not a channel operation we can count (a send, an
/// alias, an escape, a use inside a lambda).
bool sortUses(const ChannelIndex &I, const ParmVarDecl *P, ParamUses &U) {
  auto It = I.Handles.find(P);
  if (It == I.Handles.end())
    return true; // never used: the helper does nothing with it
  for (const ChannelRef &R : It->second.Refs) {
    if (R.Lambda)
      return false;
    if (R.Use.K == ChannelUse::Neutral)
      continue;
    if (R.Use.K == ChannelUse::Drain) {
      U.Drains.insert(R.Use.Node);
      continue;
    }
    if (R.Use.K != ChannelUse::Operation)
      return false;
    switch (R.Use.Op) {
    case ChannelOp::Receive:
      U.Receives.insert(R.Use.Node);
      break;
    case ChannelOp::Close:
      U.Closes.insert(R.Use.Node);
      break;
    case ChannelOp::TryReceive: // may get nothing: counts 0
    case ChannelOp::Other:
    case ChannelOp::None:
      break;
    default:
      return false; // it sends too
    }
  }
  return true;
}

/// What the top-level statements of the helper do with the parameter.
struct TopLevel {
  unsigned Drains = 0;    ///< range-fors / receive loops without a way out
  unsigned RangeFors = 0; ///< of those, range-fors over it (Drain uses)
  unsigned Receives = 0;  ///< receive statements
  unsigned Covered = 0;   ///< receives in the condition of such a loop
  unsigned Closes = 0;
};

void readTopLevel(const Stmt *S, const ParamUses &U, TopLevel &T) {
  if (U.Drains.count(S)) {
    ++T.Drains;
    ++T.RangeFors;
    return;
  }
  if (isLoop(S)) {
    // `while (ch.pop(v) == success) ...`: receives until closed.
    const Expr *Cond = loopCondition(S);
    unsigned InCond = 0;
    if (Cond)
      forEachStmt(
          Cond,
          [&](const Stmt *C) {
            InCond += U.Receives.count(C);
            return Walk::Continue;
          },
          LambdaPolicy::Skip);
    if (InCond && !findLoopExits(S).any()) {
      ++T.Drains;
      T.Covered += InCond;
    }
    return;
  }
  const Expr *E = topExpr(S);
  T.Receives += E && U.Receives.count(E);
  T.Closes += E && U.Closes.count(E);
}

bool creates(const Expr *E, ASTContext &Ctx, unsigned Depth) {
  if (isChannelCreation(E))
    return true;
  if (!E || Depth > 3)
    return false;
  const auto *CE =
      dyn_cast<CallExpr>(ignoreTransparent(E, PeelValue | PeelConversions));
  const FunctionDecl *FD = CE ? CE->getDirectCallee() : nullptr;
  if (!FD || Ctx.getSourceManager().isInSystemHeader(FD->getLocation()))
    return false;
  return FunctionSummaries::get(Ctx).returnsFresh(
      FD, [&](const Expr *R) { return creates(R, Ctx, Depth + 1); });
}

} // namespace

std::optional<HelperEffect> helperEffect(const CallExpr *Call,
                                         const ParmVarDecl *P,
                                         const ChannelIndex &I,
                                         ASTContext &Ctx) {
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  const FunctionDecl *Def = nullptr;
  if (!FD || !P || !FD->hasBody(Def) || !runsStraight(Def))
    return std::nullopt;
  unsigned Idx = P->getFunctionScopeIndex();
  if (Idx >= Def->getNumParams() || Def->getParamDecl(Idx) != P)
    return std::nullopt;
  ParamUses U;
  if (!sortUses(I, P, U))
    return std::nullopt;
  TopLevel T;
  // The summary's statements every call runs, each read once (the callback
  // never stops the walk).
  FunctionSummaries::get(Ctx).releasesParam(
      Def, Idx, [&](const Stmt *S, const ParmVarDecl *) {
        readTopLevel(S, U, T);
        return false;
      });
  HelperEffect Out;
  if (T.RangeFors != U.Drains.size() ||
      T.Receives + T.Covered != U.Receives.size())
    return std::nullopt; // a receive or drain only some calls run
  if (T.Drains) {
    if (!U.Closes.empty())
      return std::nullopt;
    Out.K = ChannelEvent::Drain;
    return Out;
  }
  if (!U.Closes.empty()) {
    if (!U.Receives.empty() || T.Closes == 0)
      return std::nullopt;
    Out.K = ChannelEvent::Close;
    return Out;
  }
  if (T.Receives) {
    Out.K = ChannelEvent::Receive;
    Out.Count = T.Receives;
  }
  return Out;
}

bool createsChannel(const Expr *E, ASTContext &Ctx) {
  return creates(E, Ctx, 0);
}

bool endsProcess(const Stmt *S, ASTContext &Ctx) {
  const auto *CE =
      dyn_cast_or_null<CallExpr>(ignoreTransparent(dyn_cast<Expr>(S)));
  const FunctionDecl *FD = CE ? CE->getDirectCallee() : nullptr;
  return FD && ProgramFacts::get(Ctx).neverReturns(FD);
}

bool exceptionsTerminate(const Decl *Scope, ASTContext &Ctx) {
  const auto *FD = dyn_cast_or_null<FunctionDecl>(Scope);
  return FD &&
         ProgramFacts::get(Ctx).exceptionFate(FD) == ExceptionFate::Terminates;
}

} // namespace leaklib
} // namespace clang
