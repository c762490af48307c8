//===--- FunctionSummaries.cpp - leak-tidy --------------------------------===//
#include "lib/program/FunctionSummaries.h"
#include "lib/core/AstHelpers.h"
#include "lib/core/LoopFacts.h"
#include "lib/core/NameMatcher.h"
#include "lib/core/PerContext.h"
#include "lib/program/ProgramFacts.h"
#include "lib/program/ProjectFacts.h"
#include "lib/program/WaitingCall.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"

namespace clang {
namespace leaklib {

namespace {
constexpr unsigned MaxDepth = 4;

/// The statements every call of \p FD runs: the top level of its body and of
/// plain nested blocks.
llvm::SmallVector<const Stmt *, 16> topLevel(const FunctionDecl *FD) {
  llvm::SmallVector<const Stmt *, 16> Out;
  const FunctionDecl *Def = nullptr;
  if (!FD || !FD->hasBody(Def))
    return Out;
  llvm::SmallVector<const Stmt *, 16> Work{Def->getBody()};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (const auto *CS = dyn_cast_or_null<CompoundStmt>(S))
      Work.append(CS->body_rbegin(), CS->body_rend());
    else if (S)
      Out.push_back(S);
  }
  return Out;
}

const FunctionDecl *calleeOf(const Stmt *S) {
  const auto *E = dyn_cast<Expr>(S);
  if (const auto *R = dyn_cast<ReturnStmt>(S))
    E = R->getRetValue();
  E = ignoreTransparent(E, PeelValue);
  if (const auto *CE = dyn_cast_or_null<CallExpr>(E))
    return CE->getDirectCallee();
  return nullptr;
}

const VarDecl *refToVar(const Expr *E) {
  const auto *DRE = dyn_cast_or_null<DeclRefExpr>(
      ignoreTransparent(E, PeelValue | PeelConversions));
  return DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
}
} // namespace

FunctionSummaries::FunctionSummaries(ASTContext &Ctx)
    : Ctx(Ctx), PF(ProgramFacts::get(Ctx)) {}

FunctionSummaries &FunctionSummaries::get(ASTContext &Ctx) {
  return PerContext<FunctionSummaries>::get(
      Ctx, [&Ctx] { return std::make_unique<FunctionSummaries>(Ctx); });
}

bool FunctionSummaries::isConstantArg(const Expr *E) const {
  E = ignoreTransparent(E, PeelValue | PeelConversions);
  if (!E || E->isValueDependent())
    return false;
  if (isa<StringLiteral, IntegerLiteral, CharacterLiteral, FloatingLiteral,
          CXXBoolLiteralExpr, CXXNullPtrLiteralExpr>(E))
    return true;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    if (isa<EnumConstantDecl>(DRE->getDecl()))
      return true;
    if (const auto *V = dyn_cast<VarDecl>(DRE->getDecl()))
      return V->isConstexpr() ||
             (V->getType().isConstQualified() && V->hasGlobalStorage() &&
              V->getInit() && isConstantArg(V->getInit()));
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(E);
      UO && UO->getOpcode() == UO_AddrOf)
    if (const VarDecl *V = refToVar(UO->getSubExpr()))
      return V->hasGlobalStorage();
  return E->isEvaluatable(Ctx);
}

bool FunctionSummaries::calledOnlyWithConstants(const FunctionDecl *FD,
                                                unsigned I) {
  if (!FD || PF.hasUnseenCallers(FD))
    return false;
  auto Sites = PF.callSites(FD);
  if (Sites.empty())
    return false;
  for (const ProgramFacts::CallSite &S : Sites) {
    const Expr *Arg = nullptr;
    if (const auto *CE = dyn_cast<CallExpr>(S.Call)) {
      // A member operator call passes the object as argument 0.
      unsigned Shift =
          isa<CXXOperatorCallExpr>(CE) && isa<CXXMethodDecl>(FD) ? 1 : 0;
      if (I + Shift < CE->getNumArgs())
        Arg = CE->getArg(I + Shift);
    } else if (const auto *CCE = dyn_cast<CXXConstructExpr>(S.Call)) {
      if (I < CCE->getNumArgs())
        Arg = CCE->getArg(I);
    }
    if (!Arg || !isConstantArg(Arg))
      return false;
  }
  return true;
}

bool FunctionSummaries::runsOnce(const FunctionDecl *FD) {
  return FD && runsOnce(FD->getCanonicalDecl(), 0);
}

bool FunctionSummaries::runsOnce(const FunctionDecl *FD, unsigned Depth) {
  if (FD->isMain())
    return true;
  if (Depth > MaxDepth || PF.hasUnseenCallers(FD))
    return false;
  auto Sites = PF.callSites(FD);
  if (Sites.size() != 1 || !Sites.front().Caller || !Sites.front().Call)
    return false;
  const FunctionDecl *Caller = Sites.front().Caller;
  if (enclosingLoop(Sites.front().Call, Ctx, Caller->getBody(),
                    LoopPart::BodyAndCondition))
    return false;
  return runsOnce(Caller->getCanonicalDecl(), Depth + 1);
}

/// The parameter of \p FD that \p E is, directly or (\p Member) as the
/// base of a member access; null for anything else.
static const ParmVarDecl *returnedParamOf(const Expr *E, bool &Member) {
  for (unsigned Depth = 0; E && Depth < 8; ++Depth) {
    E = ignoreTransparent(E, PeelValue);
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      return dyn_cast<ParmVarDecl>(DRE->getDecl());
    const auto *ME = dyn_cast<MemberExpr>(E);
    if (!ME || !isa<FieldDecl>(ME->getMemberDecl()))
      return nullptr;
    Member = true;
    E = ME->getBase();
  }
  return nullptr;
}

std::optional<unsigned> FunctionSummaries::returnedParam(const FunctionDecl *FD,
                                                         bool &ThroughMember) {
  ThroughMember = false;
  const FunctionDecl *Def = nullptr;
  if (!FD || !FD->hasBody(Def) || !Def->getBody() ||
      Def->getReturnType()->isVoidType() || Def->isDependentContext())
    return std::nullopt;
  std::optional<unsigned> Index;
  bool Ok = true;
  forEachStmt(
      Def->getBody(),
      [&](const Stmt *S) {
        const auto *R = dyn_cast<ReturnStmt>(S);
        if (!R)
          return Walk::Continue;
        bool Member = false;
        const ParmVarDecl *P = returnedParamOf(R->getRetValue(), Member);
        if (!P || (Index && *Index != P->getFunctionScopeIndex())) {
          Ok = false;
          return Walk::Stop;
        }
        Index = P->getFunctionScopeIndex();
        ThroughMember |= Member;
        return Walk::Continue;
      },
      LambdaPolicy::Skip);
  if (!Ok)
    return std::nullopt;
  return Index;
}

/// The arguments of call \p Call of \p FD, without the object of an
/// operator call of a method.
static llvm::ArrayRef<const Expr *> callArgs(const FunctionDecl *FD,
                                             const Expr *Call) {
  if (const auto *CE = dyn_cast<CallExpr>(Call)) {
    llvm::ArrayRef<const Expr *> Args(CE->getArgs(), CE->getNumArgs());
    if (isa<CXXOperatorCallExpr>(CE) && isa<CXXMethodDecl>(FD) && !Args.empty())
      Args = Args.drop_front(); // the object
    return Args;
  }
  if (const auto *CCE = dyn_cast<CXXConstructExpr>(Call))
    return llvm::ArrayRef(CCE->getArgs(), CCE->getNumArgs());
  return {};
}

void FunctionSummaries::exportCallFacts(ProjectFacts &Facts) {
  if (!Facts.exporting())
    return;
  const SourceManager &SM = Ctx.getSourceManager();
  // One fact per function and TU, not per call, and only when a call passes
  // a run-time value: the one question asked ("does any call elsewhere pass a
  // run-time value as argument I") gets the same answer from a TU whose calls
  // all pass constants as from a TU with no call, so such a TU writes nothing
  // (docs/architecture.md, "Project facts": what the store leaves out). Calls
  // written in system headers (a library template calling a user function)
  // are not the project's calls: a function handed to the library by name is
  // an `address` fact where user code names it.
  for (const auto &[FD, Sites] : PF.allCallSites()) {
    if (!ProjectFacts::visibleToOtherTUs(FD) || FD->getNumParams() == 0)
      continue;
    llvm::SmallVector<const Expr *, 4> FirstRunTime; // per argument
    const Expr *Where = nullptr; // the first call with a run-time argument
    for (const ProgramFacts::CallSite &S : Sites) {
      if (SM.isInSystemHeader(SM.getExpansionLoc(S.Call->getExprLoc())))
        continue;
      llvm::ArrayRef<const Expr *> Args = callArgs(FD, S.Call);
      if (FirstRunTime.size() < Args.size())
        FirstRunTime.resize(Args.size(), nullptr);
      for (unsigned I = 0; I < Args.size(); ++I) {
        if (FirstRunTime[I] || isConstantArg(Args[I]))
          continue;
        FirstRunTime[I] = S.Call;
        if (!Where)
          Where = S.Call;
      }
    }
    if (!Where)
      continue; // constants only (or no call in user code): as no record
    std::string AtFile = Facts.fileLine(Where->getExprLoc()).first;
    llvm::json::Array Each, Lines; // Lines: per argument, its first run-time
    for (const Expr *First : FirstRunTime) { // call in Where's file
      Each.push_back(First == nullptr);
      unsigned Line = 0;
      if (First) {
        auto [File, L] = Facts.fileLine(First->getExprLoc());
        Line = File == AtFile ? L : 0;
      }
      Lines.push_back(Line);
    }
    Facts.add(FD, "call",
              llvm::json::Object{{"args", std::move(Each)},
                                 {"lines", std::move(Lines)}},
              Where->getExprLoc());
  }
  for (const auto &[FD, Ref] : PF.addressesTaken())
    if (ProjectFacts::visibleToOtherTUs(FD))
      Facts.add(FD, "call", llvm::json::Object{{"address", true}},
                Ref->getExprLoc());
}

bool FunctionSummaries::waitsOnEveryCall(const FunctionDecl *FD,
                                         const NameMatcher &Waits) {
  return FD && waits(FD->getCanonicalDecl(), Waits, 0);
}

bool FunctionSummaries::waits(const FunctionDecl *FD, const NameMatcher &W,
                              unsigned Depth) {
  if (W.matches(FD))
    return true;
  if (Depth > MaxDepth)
    return false;
  auto Key = std::make_pair(FD, &W);
  auto It = Waits.find(Key);
  if (It != Waits.end())
    return It->second;
  Waits[Key] = false; // recursion proves nothing
  bool Result = false;
  for (const Stmt *S : topLevel(FD)) {
    const FunctionDecl *Callee = calleeOf(S);
    if (Callee && waits(Callee->getCanonicalDecl(), W, Depth + 1)) {
      Result = true;
      break;
    }
  }
  return Waits[Key] = Result;
}

const CXXMethodDecl *
FunctionSummaries::trampolineTarget(const FunctionDecl *FD) {
  const auto *MD = dyn_cast_or_null<CXXMethodDecl>(FD);
  if (!FD || FD->getNumParams() < 1 || (MD && !MD->isStatic()))
    return nullptr;
  const ParmVarDecl *P = FD->getParamDecl(0);
  if (!P->getType()->isVoidPointerType())
    return nullptr;
  for (const Stmt *S : topLevel(FD)) {
    const Expr *E = dyn_cast<Expr>(S);
    if (const auto *R = dyn_cast<ReturnStmt>(S))
      E = R->getRetValue();
    const auto *MC =
        dyn_cast_or_null<CXXMemberCallExpr>(ignoreTransparent(E, PeelValue));
    if (!MC)
      continue;
    // ((T *)p)->m(), static_cast<T *>(p)->m(), or self->m() with
    // `T *self = static_cast<T *>(p)`.
    const Expr *Obj =
        ignoreTransparent(MC->getImplicitObjectArgument(), PeelExplicitCasts);
    const VarDecl *V = refToVar(Obj);
    if (V && V != P && V->getInit())
      V = refToVar(ignoreTransparent(V->getInit(), PeelExplicitCasts));
    if (V == P)
      return MC->getMethodDecl();
  }
  return nullptr;
}

bool FunctionSummaries::returnsFresh(
    const FunctionDecl *FD, llvm::function_ref<bool(const Expr *)> IsFresh) {
  const FunctionDecl *Def = nullptr;
  if (!FD || !FD->hasBody(Def))
    return false;
  bool Any = false, All = true;
  forEachStmt(
      Def->getBody(),
      [&](const Stmt *S) {
        const auto *R = dyn_cast<ReturnStmt>(S);
        if (!R)
          return Walk::Continue;
        Any = true;
        const Expr *E = ignoreTransparent(R->getRetValue(), PeelValue);
        const VarDecl *V = refToVar(E);
        bool Fresh =
            E && (IsFresh(E) || (V && V->hasLocalStorage() && V->getInit() &&
                                 IsFresh(V->getInit())));
        All = All && Fresh;
        return All ? Walk::SkipChildren : Walk::Stop;
      },
      LambdaPolicy::Skip);
  return Any && All;
}

bool FunctionSummaries::releasesParam(
    const FunctionDecl *FD, unsigned I,
    llvm::function_ref<bool(const Stmt *, const ParmVarDecl *)> IsRelease) {
  if (!FD || I >= FD->getNumParams())
    return false;
  const FunctionDecl *Def = nullptr;
  if (!FD->hasBody(Def))
    return false;
  const ParmVarDecl *P = Def->getParamDecl(I);
  for (const Stmt *S : topLevel(Def))
    if (IsRelease(S, P))
      return true;
  return false;
}

const CallExpr *waitingHelperCall(const Stmt *Loop, const NameMatcher &Waits,
                                  ASTContext &Ctx) {
  const Stmt *Body = loopBody(Loop);
  llvm::SmallVector<const Stmt *, 16> Top;
  if (const auto *CS = dyn_cast_or_null<CompoundStmt>(Body))
    Top.append(CS->body_begin(), CS->body_end());
  else if (Body)
    Top.push_back(Body);
  FunctionSummaries &FS = FunctionSummaries::get(Ctx);
  for (const Stmt *S : Top) {
    const auto *CE = dyn_cast_or_null<CallExpr>(
        ignoreTransparent(dyn_cast<Expr>(S), PeelValue));
    if (CE && CE->getDirectCallee() &&
        FS.waitsOnEveryCall(CE->getDirectCallee(), Waits))
      return CE;
  }
  return nullptr;
}

} // namespace leaklib
} // namespace clang
