//===--- HandleUses.cpp - leak-tidy ---------------------------------------===//
#include "lib/timer/HandleUses.h"
#include "lib/core/AstHelpers.h"
#include "lib/core/VarUses.h"
#include "lib/program/FunctionSummaries.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/StringSwitch.h"
#include <vector>

namespace clang {
namespace leaklib {

const Expr *peelValue(const Expr *E) {
  return ignoreTransparent(E, PeelTemporaries | PeelExplicitCasts |
                                  PeelConversions);
}

void forEachOwnStmt(const Stmt *Root,
                    llvm::function_ref<void(const Stmt *)> Fn) {
  forEachStmt(
      Root,
      [&](const Stmt *S) {
        if (S != Root &&
            isa<LambdaExpr, BlockExpr, UnaryExprOrTypeTraitExpr>(S))
          return Walk::SkipChildren;
        Fn(S);
        return Walk::Continue;
      },
      LambdaPolicy::Enter); // only a lambda at the root is entered
}

const Stmt *userBody(const FunctionDecl *FD) {
  const Stmt *Body = FD ? FD->getBody() : nullptr;
  if (const auto *CB = dyn_cast_or_null<CoroutineBodyStmt>(Body))
    return CB->getBody();
  return Body;
}

void forEachBodyStmt(
    const FunctionDecl *FD,
    llvm::function_ref<void(const FunctionDecl *, const Stmt *, const Stmt *)>
        Fn) {
  const Stmt *Top = userBody(FD);
  if (!Top)
    return;
  std::vector<std::pair<const FunctionDecl *, const Stmt *>> Bodies{{FD, Top}};
  for (size_t I = 0; I < Bodies.size(); ++I) {
    auto [Inner, Body] = Bodies[I];
    forEachStmt(
        Body,
        [&, Inner = Inner, Body = Body](const Stmt *S) {
          if (const auto *L = dyn_cast<LambdaExpr>(S)) {
            if (const Stmt *LB = userBody(L->getCallOperator()))
              Bodies.push_back({L->getCallOperator(), LB});
            return Walk::SkipChildren;
          }
          Fn(Inner, Body, S);
          return Walk::Continue;
        },
        LambdaPolicy::Skip);
  }
}

bool isSigevValue(const Expr *LHS) {
  for (const Expr *E = LHS; E;) {
    const auto *ME = dyn_cast<MemberExpr>(E->IgnoreParenImpCasts());
    if (!ME)
      return false;
    if (ME->getMemberDecl()->getIdentifier() &&
        ME->getMemberDecl()->getName() == "sigev_value")
      return true;
    E = ME->getBase();
  }
  return false;
}

bool isContainerInsert(const CallExpr *CE) {
  const auto *MC = dyn_cast<CXXMemberCallExpr>(CE);
  if (!MC || !MC->getMethodDecl() || !MC->getMethodDecl()->getIdentifier())
    return false;
  return llvm::StringSwitch<bool>(MC->getMethodDecl()->getName())
      .Cases({"push_back", "emplace_back", "push_front", "emplace_front"}, true)
      .Cases({"push", "emplace", "insert", "insert_or_assign", "try_emplace"},
             true)
      .Cases({"append", "prepend", "enqueue"}, true)
      .Default(false);
}

bool mentions(const Expr *Arg, const ValueDecl *Key) {
  if (!Arg || isa<UnaryExprOrTypeTraitExpr>(Arg->IgnoreParenImpCasts()))
    return false; // sizeof *t
  bool Found = false;
  forEachOwnStmt(Arg, [&](const Stmt *S) {
    if (isa<DeclRefExpr, MemberExpr>(S) && handleKey(cast<Expr>(S)) == Key)
      Found = true;
  });
  return Found;
}

bool connectsDeleteLater(const CallExpr *CE, const ValueDecl *Key) {
  if (calleeName(CE) != "connect")
    return false;
  bool Mentions = false, DeleteLater = false;
  for (const Expr *A : CE->arguments()) {
    if (handleKey(A) == Key)
      Mentions = true;
    forEachOwnStmt(A, [&](const Stmt *S) {
      if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
        if (DRE->getDecl()->getIdentifier() &&
            DRE->getDecl()->getName() == "deleteLater")
          DeleteLater = true;
    });
  }
  return Mentions && DeleteLater;
}

namespace {
/// How many helpers deep returnedCreation and helperReleases are: both
/// recurse through the helpers' bodies (cycles, long chains).
unsigned HelperDepth = 0;
constexpr unsigned MaxHelperDepth = 3;

/// The definition of \p FD when it is a user function with a body in this
/// TU (not a library function).
const FunctionDecl *userDefinition(const FunctionDecl *FD) {
  const FunctionDecl *Def = nullptr;
  if (!FD || !FD->hasBody(Def) || Def->isDependentContext() ||
      HelperDepth >= MaxHelperDepth)
    return nullptr;
  const SourceManager &SM = FD->getASTContext().getSourceManager();
  if (SM.isInSystemHeader(SM.getExpansionLoc(Def->getLocation())))
    return nullptr;
  return Def;
}

const FunctionDecl *userCallee(const CallExpr *CE) {
  return userDefinition(CE ? CE->getDirectCallee() : nullptr);
}

struct DepthGuard {
  DepthGuard() { ++HelperDepth; }
  ~DepthGuard() { --HelperDepth; }
};

/// `stop_timer(t)`: \p Key passed to a helper that releases its parameter.
bool helperReleases(const CallExpr *CE, const ValueDecl *Key,
                    const TimerModel &Model, bool StopCounts) {
  const FunctionDecl *FD = userCallee(CE);
  if (!FD || isa<CXXOperatorCallExpr>(CE))
    return false; // an operator's arguments are shifted by its object
  FunctionSummaries &FS = FunctionSummaries::get(FD->getASTContext());
  DepthGuard G;
  for (unsigned I = 0; I < CE->getNumArgs() && I < FD->getNumParams(); ++I)
    if (handleKey(CE->getArg(I)) == Key &&
        FS.releasesParam(FD, I, [&](const Stmt *S, const ParmVarDecl *P) {
          return isReleaseOf(S, P, Model, StopCounts);
        }))
      return true;
  return false;
}
} // namespace

const Expr *
returnedCreation(const CallExpr *Call,
                 llvm::function_ref<bool(const Expr *)> IsCreation) {
  return returnedCreation(Call ? Call->getDirectCallee() : nullptr, IsCreation);
}

const Expr *
returnedCreation(const FunctionDecl *Callee,
                 llvm::function_ref<bool(const Expr *)> IsCreation) {
  const FunctionDecl *FD = userDefinition(Callee);
  if (!FD)
    return nullptr;
  const Expr *First = nullptr;
  DepthGuard G;
  bool Fresh = FunctionSummaries::get(FD->getASTContext())
                   .returnsFresh(FD, [&](const Expr *E) {
                     if (!IsCreation(E))
                       return false;
                     if (!First)
                       First = E;
                     return true;
                   });
  return Fresh ? First : nullptr;
}

bool isReleaseOf(const Stmt *S, const ValueDecl *Key, const TimerModel &Model,
                 bool StopCounts) {
  if (const auto *D = dyn_cast<CXXDeleteExpr>(S))
    return handleKey(D->getArgument()) == Key;
  const auto *CE = dyn_cast<CallExpr>(S);
  if (!CE)
    return false;
  TimerCall TC = Model.classify(CE);
  if (TC && TC.Handle && handleKey(TC.Handle) == Key &&
      (TC.Role == TimerRole::Destroy ||
       (StopCounts && TC.Role == TimerRole::Stop)))
    return true;
  llvm::StringRef N = calleeName(CE);
  if (N == "close" && CE->getNumArgs() == 1 && handleKey(CE->getArg(0)) == Key)
    return true;
  if (connectsDeleteLater(CE, Key))
    return true;
  return !TC && helperReleases(CE, Key, Model, StopCounts);
}

bool isHarmlessCallee(llvm::StringRef N) {
  return llvm::StringSwitch<bool>(N)
      .Cases({"connect", "disconnect", "printf", "fprintf", "snprintf"}, true)
      .Cases({"read", "write", "poll", "epoll_ctl", "fcntl", "ioctl"}, true)
      .Cases({"g_print", "g_debug", "g_message", "g_warning", "syslog"}, true)
      .Cases({"timer_gettime", "timer_getoverrun", "timerfd_gettime"}, true)
      .Cases({"uv_timer_set_repeat", "uv_timer_get_repeat",
              "uv_handle_set_data", "uv_is_active"},
             true)
      .Cases({"event_pending", "event_get_fd", "event_initialized"}, true)
      .Default(false);
}

bool paramIsConst(const CallExpr *CE, unsigned I) {
  const FunctionDecl *FD = CE->getDirectCallee();
  if (!FD || I >= FD->getNumParams())
    return false;
  QualType T = FD->getParamDecl(I)->getType();
  if (T->isReferenceType() || T->isPointerType())
    return T->getPointeeType().isConstQualified();
  return false;
}

} // namespace leaklib
} // namespace clang
