//===--- ThreadFacts.cpp - leak-tidy -------------------------------------===//
#include "lib/thread/ThreadFacts.h"
#include "lib/core/LoopFacts.h"
#include "lib/core/ParentIndex.h"
#include "lib/core/VarUses.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/FoldingSet.h"
#include "llvm/ADT/STLExtras.h"

namespace clang {
namespace leaklib {

const Stmt *branchCondition(const Stmt *T) {
  if (const auto *I = dyn_cast_or_null<IfStmt>(T))
    return I->getCond();
  if (const auto *W = dyn_cast_or_null<WhileStmt>(T))
    return W->getCond();
  if (const auto *F = dyn_cast_or_null<ForStmt>(T))
    return F->getCond();
  if (const auto *D = dyn_cast_or_null<DoStmt>(T))
    return D->getCond();
  if (const auto *S = dyn_cast_or_null<SwitchStmt>(T))
    return S->getCond();
  if (const auto *C = dyn_cast_or_null<AbstractConditionalOperator>(T))
    return C->getCond();
  if (const auto *B = dyn_cast_or_null<BinaryOperator>(T))
    return B->getLHS();
  return nullptr;
}

bool mentions(const Stmt *S, const Stmt *Target,
              llvm::ArrayRef<const ValueDecl *> Vars) {
  if (!S)
    return false;
  if (S == Target)
    return true;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
    if (llvm::is_contained(Vars, DRE->getDecl()))
      return true;
  for (const Stmt *C : S->children())
    if (mentions(C, Target, Vars))
      return true;
  return false;
}

/// Strips what lies between a thread's construction and its use.
static const Expr *stripTemporaries(const Expr *E) {
  while (E) {
    if (const auto *EWC = dyn_cast<ExprWithCleanups>(E))
      E = EWC->getSubExpr();
    else if (const auto *MTE = dyn_cast<MaterializeTemporaryExpr>(E))
      E = MTE->getSubExpr();
    else if (const auto *BT = dyn_cast<CXXBindTemporaryExpr>(E))
      E = BT->getSubExpr();
    else if (const auto *IC = dyn_cast<ImplicitCastExpr>(E))
      E = IC->getSubExpr();
    else if (const auto *FC = dyn_cast<CXXFunctionalCastExpr>(E))
      E = FC->getSubExpr();
    else if (const auto *P = dyn_cast<ParenExpr>(E))
      E = P->getSubExpr();
    else if (const auto *CE = dyn_cast<CXXConstructExpr>(E);
             CE && CE->getNumArgs() == 1 &&
             CE->getConstructor()->isMoveConstructor())
      E = CE->getArg(0);
    else
      break;
  }
  return E;
}

/// The construction of a running thread (a thread type, a callable, not a
/// copy or move), or null.
const CXXConstructExpr *threadStart(const Expr *E, const ThreadApi &Api) {
  const auto *CE = dyn_cast_or_null<CXXConstructExpr>(stripTemporaries(E));
  if (!CE || CE->getNumArgs() == 0 ||
      CE->getConstructor()->isCopyOrMoveConstructor() ||
      !threadRecord(CE->getType(), Api))
    return nullptr;
  return CE;
}

bool isPlainLocal(const VarDecl *V) {
  return V && V->hasLocalStorage() && !isa<ParmVarDecl>(V) &&
         !V->getType()->isReferenceType();
}

StartContext startContext(const CXXConstructExpr *Ctor, ASTContext &Ctx,
                          const ThreadApi &Api) {
  StartContext R;
  DynTypedNode N = DynTypedNode::create(*Ctor);
  for (unsigned Depth = 0; Depth < 12; ++Depth) {
    auto Parents = ParentIndex::get(Ctx).parents(N);
    if (Parents.empty())
      return R;
    const DynTypedNode &P = Parents[0];
    if (const auto *VD = P.get<VarDecl>()) {
      if (isPlainLocal(VD))
        R.Var = VD;
      return R;
    }
    const auto *S = P.get<Stmt>();
    if (!S)
      return R;
    if (isa<ExprWithCleanups>(S) || isa<MaterializeTemporaryExpr>(S) ||
        isa<CXXBindTemporaryExpr>(S) || isa<ImplicitCastExpr>(S) ||
        isa<CXXFunctionalCastExpr>(S) || isa<ParenExpr>(S) ||
        (isa<InitListExpr>(S) && cast<InitListExpr>(S)->getNumInits() == 1)) {
      N = P;
      continue;
    }
    if (const auto *CE = dyn_cast<CXXConstructExpr>(S))
      if (CE->getNumArgs() == 1 && CE->getConstructor()->isMoveConstructor()) {
        N = P;
        continue;
      }
    if (const auto *ME = dyn_cast<MemberExpr>(S)) {
      auto GP = ParentIndex::get(Ctx).parents(*ME);
      const auto *MC = GP.empty() ? nullptr : GP[0].get<CXXMemberCallExpr>();
      const auto *MD = dyn_cast<CXXMethodDecl>(ME->getMemberDecl());
      if (MC && MD && MD->getIdentifier() &&
          Api.DetachMethods.count(MD->getName()))
        R.Detach = MC;
      return R;
    }
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S)) {
      if (OC->getOperator() == OO_Equal && OC->getNumArgs() == 2) {
        const auto *DRE =
            dyn_cast<DeclRefExpr>(OC->getArg(0)->IgnoreParenImpCasts());
        const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
        if (isPlainLocal(VD)) {
          R.Var = VD;
          R.Assign = OC;
        }
      }
      return R;
    }
    return R;
  }
  return R;
}

/// The first use of \p V in \p Body that detaches it.
const Stmt *findDetach(const VarDecl *V, const Stmt *Body, ParentMap &PM,
                       const ThreadApi &Api) {
  llvm::SmallVector<const Stmt *, 64> Work{Body};
  const Stmt *Found = nullptr;
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
      if (DRE->getDecl() == V &&
          classifyHandleRef(DRE, V, PM, Api) == HandleEffect::Detaches)
        if (!Found || DRE->getBeginLoc() < Found->getBeginLoc())
          Found = DRE;
    for (const Stmt *C : S->children())
      Work.push_back(C);
  }
  return Found;
}

/// Whether every use of \p V in \p Body only joins it or reads it: never
/// detached, moved, stored or handed off (for the std::jthread fix-it).
bool onlyJoined(const VarDecl *V, const Stmt *Body, ParentMap &PM,
                const ThreadApi &Api) {
  llvm::SmallVector<const Stmt *, 64> Work{Body};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (const auto *L = dyn_cast<LambdaExpr>(S))
      if (capturesVar(L, V))
        return false;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
      if (DRE->getDecl() == V) {
        HandleEffect E = classifyHandleRef(DRE, V, PM, Api);
        if (E == HandleEffect::Detaches || E == HandleEffect::Escapes)
          return false;
      }
    for (const Stmt *C : S->children())
      Work.push_back(C);
  }
  return true;
}

/// Whether std::jthread would call \p Callable exactly as std::thread does:
/// a non-generic lambda or a plain function taking exactly the arguments
/// given (so a std::stop_token cannot be passed in first).
bool callableIgnoresStopToken(const CXXConstructExpr *Ctor) {
  const Expr *E = Ctor->getArg(0)->IgnoreParenImpCasts();
  if (const auto *MTE = dyn_cast<MaterializeTemporaryExpr>(E))
    E = MTE->getSubExpr()->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(E))
    if (UO->getOpcode() == UO_AddrOf)
      E = UO->getSubExpr()->IgnoreParenImpCasts();
  const FunctionDecl *FD = nullptr;
  if (const auto *L = dyn_cast<LambdaExpr>(E)) {
    if (L->isGenericLambda())
      return false;
    FD = L->getCallOperator();
  } else if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    FD = dyn_cast<FunctionDecl>(DRE->getDecl());
    if (FD && (isa<CXXMethodDecl>(FD) || FD->getPrimaryTemplate()))
      return false;
  }
  if (!FD || FD->isVariadic() || FD->getNumParams() != Ctor->getNumArgs() - 1)
    return false;
  for (const ParmVarDecl *P : FD->parameters())
    if (P->hasDefaultArg())
      return false;
  return true;
}

/// Variables read by \p Cond that nothing in \p Body changes (every other
/// reference is a plain read).
bool conditionVarsUnchanged(const Expr *Cond, const Stmt *Body, ParentMap &PM) {
  llvm::SmallVector<const ValueDecl *, 4> Vars;
  llvm::SmallVector<const Stmt *, 16> Work{Cond};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (isa<CallExpr>(S) || isa<MemberExpr>(S) || isa<CXXThisExpr>(S))
      return false; // a call or member may give another answer next time
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S)) {
      const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
      if (!VD || !VD->hasLocalStorage() || VD->getType()->isReferenceType() ||
          VD->getType().isVolatileQualified())
        return false;
      Vars.push_back(VD);
    }
    for (const Stmt *C : S->children())
      Work.push_back(C);
  }
  Work.assign({Body});
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
      if (llvm::is_contained(Vars, DRE->getDecl())) {
        const auto *Cast = dyn_cast_or_null<ImplicitCastExpr>(
            PM.getParent(const_cast<DeclRefExpr *>(DRE)));
        if (!Cast || Cast->getCastKind() != CK_LValueToRValue)
          return false;
      }
    for (const Stmt *C : S->children())
      Work.push_back(C);
  }
  return true;
}

/// Whether \p Path takes a branch that contradicts an `if` around the
/// acquisition with the same, unchanged condition (`if (x) start(); ...
/// if (x) join();` -- the path through the second `if`'s false edge cannot
/// happen).
bool pathContradictsGuard(const LeakPath &Path, const Stmt *Acquire,
                          const Stmt *Body, ParentMap &PM, ASTContext &Ctx) {
  llvm::SmallVector<std::pair<const Expr *, bool>, 4> Guards;
  const Stmt *Child = Acquire;
  for (const Stmt *P = PM.getParent(Acquire); P && Child != Body;
       Child = P, P = PM.getParent(P)) {
    if (isa<LambdaExpr>(P))
      break;
    if (const auto *If = dyn_cast<IfStmt>(P)) {
      if (Child == If->getThen())
        Guards.push_back({If->getCond(), true});
      else if (Child == If->getElse())
        Guards.push_back({If->getCond(), false});
    }
  }
  if (Guards.empty())
    return false;
  for (const PathStep &S : Path.Steps) {
    const auto *If =
        S.K == PathStep::Branch ? dyn_cast_or_null<IfStmt>(S.S) : nullptr;
    if (!If || !If->getCond())
      continue;
    llvm::FoldingSetNodeID Taken;
    If->getCond()->Profile(Taken, Ctx, /*Canonical=*/true);
    for (const auto &[Cond, Sense] : Guards) {
      llvm::FoldingSetNodeID Known;
      Cond->Profile(Known, Ctx, /*Canonical=*/true);
      if (Known == Taken && (S.Successor == 0) != Sense &&
          conditionVarsUnchanged(Cond, Body, PM))
        return true;
    }
  }
  return false;
}

/// Whether the thread's body is visible and surely finishes on its own: no
/// loop without a bound and no call that waits for someone else. Only then
/// does joining at scope end (std::jthread) trade a crash for a short wait
/// rather than for a hang.
bool bodyFinishesOnItsOwn(const CXXConstructExpr *Ctor, ASTContext &Ctx) {
  const Stmt *Body = callableBody(Ctor->getArg(0));
  if (!Body)
    return false;
  llvm::SmallVector<const Stmt *, 64> Work{Body};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (isLoop(S) && (isUnboundedLoop(S, Ctx) || isEndlessByCondition(S, Ctx)))
      return false;
    if (const auto *CE = dyn_cast<CallExpr>(S)) {
      StringRef N = calleeName(CE);
      if (N.contains("wait") || N == "get" || N == "join" || N == "recv" ||
          N == "read" || N == "accept" || N == "pop" || N == "take" ||
          N.contains("lock") || N == "select" || N == "poll")
        return false;
    }
    for (const Stmt *C : S->children())
      Work.push_back(C);
  }
  return true;
}

static bool refersToField(const Expr *E, const FieldDecl *F) {
  const auto *ME =
      dyn_cast_or_null<MemberExpr>(E ? E->IgnoreParenImpCasts() : nullptr);
  return ME && ME->getMemberDecl() == F;
}

void scanMethod(const FunctionDecl *Def, MemberFacts &M, const ThreadApi &Api) {
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(Def))
    for (const CXXCtorInitializer *I : Ctor->inits())
      if (I->getMember() == M.Field && I->getInit() &&
          threadStart(I->getInit(), Api)) {
        M.StartedInCtor = true;
        if (M.FirstStart.isInvalid()) {
          M.FirstStart = I->getSourceLocation();
          M.FirstStartIn = Def;
        }
      }
  const Stmt *Body = Def->getBody();
  if (!Body)
    return;
  ParentMap PM(const_cast<Stmt *>(Body));
  bool UsesMember = false;
  llvm::SmallVector<const Stmt *, 64> Work{Body};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    for (const Stmt *C : S->children())
      Work.push_back(C);
    const auto *ME = dyn_cast<MemberExpr>(S);
    if (!ME || ME->getMemberDecl() != M.Field)
      continue;
    UsesMember = true;
    const Stmt *Child = ME;
    const Stmt *P = PM.getParent(ME);
    while (P && (isa<ImplicitCastExpr>(P) || isa<ParenExpr>(P))) {
      Child = P;
      P = PM.getParent(P);
    }
    if (const auto *Outer = dyn_cast_or_null<MemberExpr>(P)) {
      const auto *MD = dyn_cast<CXXMethodDecl>(Outer->getMemberDecl());
      StringRef N = MD && MD->getIdentifier() ? MD->getName() : "";
      if (!M.IsContainer) {
        if (Api.JoinMethods.count(N) || Api.DetachMethods.count(N) ||
            N == "joinable")
          M.Joins.push_back({ME->getBeginLoc(), Def});
        else if (N != "get_id")
          M.Escapes = true;
        continue;
      }
      switch (classifyContainerRef(cast<Expr>(Child), PM)) {
      case ThreadContainerUse::Adds:
        if (M.FirstStart.isInvalid()) {
          M.FirstStart = ME->getBeginLoc();
          M.FirstStartIn = Def;
        }
        if (isa<CXXConstructorDecl>(Def))
          M.StartedInCtor = true;
        break;
      case ThreadContainerUse::Destroys:
        M.Destroys.push_back({PM.getParent(const_cast<Stmt *>(P)), Def});
        break;
      default:
        break;
      }
      continue;
    }
    if (const auto *OC = dyn_cast_or_null<CXXOperatorCallExpr>(P)) {
      if (OC->getOperator() == OO_Equal && OC->getNumArgs() == 2 &&
          refersToField(OC->getArg(0), M.Field)) {
        if (!M.IsContainer && threadStart(OC->getArg(1), Api)) {
          if (M.FirstStart.isInvalid()) {
            M.FirstStart = OC->getBeginLoc();
            M.FirstStartIn = Def;
          }
          if (isa<CXXConstructorDecl>(Def))
            M.StartedInCtor = true;
          else
            M.Reassigns.push_back({OC, Def});
          continue;
        }
        if (M.IsContainer) {
          M.Destroys.push_back({OC, Def});
          continue;
        }
      }
      if (M.IsContainer && OC->getOperator() == OO_Subscript)
        continue; // element access: joins are found below
      M.Escapes = true;
      continue;
    }
    if (M.IsContainer && isa_and_nonnull<DeclStmt>(P))
      if (const auto *For = dyn_cast_or_null<CXXForRangeStmt>(PM.getParent(P)))
        if (For->getRangeStmt() == P)
          continue; // for (auto &t : member_): joins are found below
    if (M.IsContainer) {
      // Passed to begin()/end() helpers, std::for_each, ...: element access
      // at best, a hand-off at worst.
      if (const auto *CE = dyn_cast_or_null<CallExpr>(P)) {
        StringRef N = calleeName(CE);
        if (N == "begin" || N == "end" || N == "cbegin" || N == "cend")
          continue;
      }
    }
    // Anything else (an alias `auto &t = member_;`, std::move, passing it
    // on): handed off, not followed.
    M.Escapes = true;
  }
  if (M.IsContainer && UsesMember && joinsSomeElement(Body, Api))
    M.Joins.push_back({Body->getBeginLoc(), Def});
}

/// Whether \p Def (or a method of the class it calls, to a small depth)
/// joins the member: a recorded join in it, or a call we cannot see into.
bool reachesJoin(const FunctionDecl *Def, const MemberFacts &M,
                 const CXXRecordDecl *RD, unsigned Depth,
                 llvm::DenseSet<const FunctionDecl *> &Seen) {
  if (!Def || !Seen.insert(Def).second)
    return false;
  for (const auto &J : M.Joins)
    if (J.second == Def)
      return true;
  if (Depth > 4 || !Def->getBody())
    return false;
  llvm::SmallVector<const Stmt *, 64> Work{Def->getBody()};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    for (const Stmt *C : S->children())
      Work.push_back(C);
    const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
    if (!MC || !MC->getMethodDecl())
      continue;
    const Expr *Obj = MC->getImplicitObjectArgument();
    if (!Obj || !isa<CXXThisExpr>(Obj->IgnoreParenImpCasts()))
      continue;
    const CXXMethodDecl *Callee = MC->getMethodDecl();
    const FunctionDecl *CalleeDef = nullptr;
    if (!Callee->hasBody(CalleeDef))
      return true; // defined elsewhere: it may join
    if (Callee->isVirtual() && !Callee->hasAttr<FinalAttr>() &&
        !RD->hasAttr<FinalAttr>())
      return true; // an override may join
    if (reachesJoin(CalleeDef, M, RD, Depth + 1, Seen))
      return true;
  }
  return false;
}

} // namespace leaklib
} // namespace clang
