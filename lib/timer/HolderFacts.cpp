//===--- HolderFacts.cpp - leak-tidy --------------------------------------===//
#include "lib/timer/HolderFacts.h"
#include "lib/core/AstHelpers.h"
#include "lib/core/NameMatcher.h"
#include "lib/core/ParentIndex.h"
#include "lib/core/VarUses.h"
#include "lib/timer/HandleUses.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace clang {
namespace leaklib {

namespace {
using OwnHandlerSet = llvm::SmallPtrSet<const LambdaExpr *, 4>;
} // namespace

/// Lambdas passed to `Key->async_wait(...)`, and the first that captures
/// Key (its own wait handler); the constant expiry set on Key.
static OwnHandlerSet scanOwnHandlers(const ValueDecl *Key, const Stmt *Scope,
                                     const TimerModel &Model, ASTContext &Ctx,
                                     HolderUses &U) {
  OwnHandlerSet OwnHandlers;
  forEachOwnStmt(Scope, [&](const Stmt *S) {
    const auto *CE = dyn_cast<CallExpr>(S);
    if (!CE)
      return;
    TimerCall TC = Model.classify(CE);
    if (!TC.Handle || handleKey(TC.Handle) != Key)
      return;
    if (TC.Role == TimerRole::Arm && calleeName(CE) == "async_wait" &&
        CE->getNumArgs() > 0)
      if (const auto *L = dyn_cast<LambdaExpr>(peelValue(CE->getArg(0)))) {
        OwnHandlers.insert(L);
        if (capturesVar(L, Key) && !U.OwnHandlerWait)
          U.OwnHandlerWait = CE;
      }
    if (TC.Role == TimerRole::SetExpiry)
      if (auto D = TimerModel::constantDelay(CE, TC, Ctx))
        U.Expiry = D;
  });
  return OwnHandlers;
}

/// `container[k] = timer`.
static bool isSubscriptStore(const CallExpr *CE) {
  const auto *OC = dyn_cast<CXXOperatorCallExpr>(CE);
  if (!OC || !OC->isAssignmentOp() || OC->getNumArgs() != 2)
    return false;
  const auto *Sub = dyn_cast<CXXOperatorCallExpr>(peelValue(OC->getArg(0)));
  return Sub && Sub->getOperator() == OO_Subscript;
}

/// A call that mentions \p Key in an argument: a container insert, a store
/// into `container[k]`, or a hand-off to code we do not model.
static void scanHolderCall(const CallExpr *CE, const ValueDecl *Key,
                           const OwnHandlerSet &OwnHandlers,
                           const TimerModel &Model, HolderUses &U) {
  TimerCall TC = Model.classify(CE);
  if (TC || isHarmlessCallee(calleeName(CE)) || CE->isCallToStdMove())
    return;
  unsigned First = 0;
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(CE))
    if (isa_and_nonnull<CXXMethodDecl>(OC->getDirectCallee()) &&
        !OC->isAssignmentOp())
      First = 1; // the object of a member operator (t->, *t)
  for (unsigned I = First; I < CE->getNumArgs(); ++I) {
    const Expr *A = CE->getArg(I);
    if (!mentions(A, Key))
      continue;
    if (const auto *L = dyn_cast<LambdaExpr>(peelValue(A)))
      if (OwnHandlers.count(L))
        continue;
    if (isContainerInsert(CE)) {
      if (!U.ContainerInsert) {
        U.ContainerInsert = CE;
        U.Container =
            handleKey(cast<CXXMemberCallExpr>(CE)->getImplicitObjectArgument());
      }
      continue;
    }
    if (isSubscriptStore(CE)) {
      if (!U.ContainerInsert) {
        U.ContainerInsert = CE;
        U.Container = handleKey(CE->getArg(0));
      }
      continue;
    }
    if (!paramIsConst(CE, I - First))
      U.Escaped = true;
  }
}

/// `x = t`: `arr[i] = t` is a container store; anything else hands it off.
static void scanHolderAssign(const BinaryOperator *BO, const ValueDecl *Key,
                             HolderUses &U) {
  if (BO->getOpcode() != BO_Assign || handleKey(BO->getRHS()) != Key ||
      handleKey(BO->getLHS()) == Key || isSigevValue(BO->getLHS()))
    return;
  if (isa<ArraySubscriptExpr>(BO->getLHS()->IgnoreParenImpCasts())) {
    if (!U.ContainerInsert)
      U.Container = handleKey(BO->getLHS());
  } else {
    U.Escaped = true;
  }
}

HolderUses scanHolder(const ValueDecl *Key, const Stmt *Scope,
                      const Expr *Creation, const TimerModel &Model,
                      ASTContext &Ctx) {
  HolderUses U;
  OwnHandlerSet OwnHandlers = scanOwnHandlers(Key, Scope, Model, Ctx, U);
  forEachOwnStmt(Scope, [&](const Stmt *S) {
    if (S == Creation)
      return;
    if (isReleaseOf(S, Key, Model, /*StopCounts=*/false)) {
      U.Released = true;
    } else if (const auto *CE = dyn_cast<CallExpr>(S)) {
      scanHolderCall(CE, Key, OwnHandlers, Model, U);
    } else if (const auto *R = dyn_cast<ReturnStmt>(S)) {
      if (R->getRetValue() && mentions(R->getRetValue(), Key))
        U.Escaped = true;
    } else if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
      scanHolderAssign(BO, Key, U);
    } else if (const auto *DS = dyn_cast<DeclStmt>(S)) {
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D))
          if (VD != Key && VD->getInit() && handleKey(VD->getInit()) == Key)
            U.Escaped = true;
    }
  });
  return U;
}

HolderOf holderOf(const Expr *E, ASTContext &Ctx) {
  HolderOf H;
  const Stmt *Cur = E;
  for (unsigned Depth = 0; Depth < 12; ++Depth) {
    llvm::ArrayRef<DynTypedNode> Parents = ParentIndex::get(Ctx).parents(*Cur);
    if (Parents.empty())
      return H;
    if (const auto *VD = Parents[0].get<VarDecl>()) {
      H.Holder = VD;
      return H;
    }
    const Stmt *P = Parents[0].get<Stmt>();
    if (!P)
      return H;
    const auto *Cast = dyn_cast<CStyleCastExpr>(P);
    if (isa<CompoundStmt, IfStmt, ForStmt, WhileStmt, DoStmt, SwitchCase>(P) ||
        (Cast && Cast->getType()->isVoidType())) {
      H.Discarded = true;
      return H;
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(P)) {
      if (BO->getOpcode() == BO_Assign && BO->getRHS() == Cur)
        H.Holder = handleKey(BO->getLHS());
      return H;
    }
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(P)) {
      if (OC->isAssignmentOp() && OC->getNumArgs() == 2 && OC->getArg(1) == Cur)
        H.Holder = handleKey(OC->getArg(0));
      return H;
    }
    if (const auto *CE = dyn_cast<CallExpr>(P)) {
      H.PassedTo = CE;
      return H;
    }
    if (!isa<ImplicitCastExpr, ParenExpr, ExprWithCleanups,
             MaterializeTemporaryExpr, CXXBindTemporaryExpr, CXXConstructExpr,
             ExplicitCastExpr>(P))
      return H;
    Cur = P;
  }
  return H;
}

bool declaredInside(const ValueDecl *D, const Stmt *Scope, ASTContext &Ctx) {
  const auto *VD = dyn_cast_or_null<VarDecl>(D);
  if (!VD || !VD->isLocalVarDeclOrParm() || VD->isStaticLocal() || !Scope)
    return false;
  SourceRange R = Scope->getSourceRange();
  SourceManager &SM = Ctx.getSourceManager();
  SourceLocation L = VD->getLocation();
  return R.isValid() && L.isValid() &&
         !SM.isBeforeInTranslationUnit(L, R.getBegin()) &&
         !SM.isBeforeInTranslationUnit(R.getEnd(), L);
}

bool mentionedAfter(const ValueDecl *Key, const Stmt *Function,
                    SourceLocation After, ASTContext &Ctx) {
  SourceManager &SM = Ctx.getSourceManager();
  return anyStmt(
      Function,
      [&](const Stmt *S) {
        return isa<DeclRefExpr, MemberExpr>(S) &&
               handleKey(cast<Expr>(S)) == Key &&
               SM.isBeforeInTranslationUnit(After, S->getBeginLoc());
      },
      LambdaPolicy::Enter);
}

static bool isCleanupMethod(const CXXMethodDecl *M) {
  if (isa<CXXDestructorDecl>(M))
    return true;
  if (!M->getIdentifier())
    return false;
  std::string N = M->getName().lower();
  for (const char *W : {"stop", "close", "shutdown", "cancel", "clear", "reset",
                        "teardown", "cleanup", "quit", "finish"})
    if (llvm::StringRef(N).contains(W))
      return true;
  return false;
}

bool memberContainerCleaned(const FieldDecl *FD) {
  const auto *RD = dyn_cast<CXXRecordDecl>(FD->getParent());
  if (!RD)
    return true; // a C struct: we cannot tell
  for (const CXXMethodDecl *M : RD->methods()) {
    if (!isCleanupMethod(M))
      continue;
    const FunctionDecl *Def = nullptr;
    if (!M->isDefined(Def))
      return true; // defined elsewhere: assume it cleans up
    bool Mentions = false;
    forEachOwnStmt(Def->getBody(), [&](const Stmt *S) {
      if (const auto *ME = dyn_cast<MemberExpr>(S))
        if (ME->getMemberDecl() == FD)
          Mentions = true;
    });
    if (Mentions)
      return true;
  }
  return false;
}

//===-- Adoption and release of every element
//------------------------------===//

/// Whether \p Body releases a timer: a Destroy call of the model, close(),
/// delete.
static bool bodyReleases(const Stmt *Body, const TimerModel &Model) {
  return Body && anyStmt(
                     Body,
                     [&](const Stmt *S) {
                       if (isa<CXXDeleteExpr>(S))
                         return true;
                       const auto *CE = dyn_cast<CallExpr>(S);
                       return CE &&
                              (Model.classify(CE).Role == TimerRole::Destroy ||
                               calleeName(CE) == "close");
                     },
                     LambdaPolicy::Skip);
}

static bool functionReleases(const FunctionDecl *FD, const TimerModel &Model) {
  const FunctionDecl *Def = nullptr;
  if (!FD)
    return false;
  if (Model.functionRole(FD).Role == TimerRole::Destroy ||
      (FD->getIdentifier() && FD->getName() == "close"))
    return true;
  return FD->hasBody(Def) && bodyReleases(Def->getBody(), Model);
}

/// A deleter: of type \p D (a class with operator()), or the value \p Arg
/// (a function such as `&event_free`, a lambda).
static bool deleterReleases(QualType D, const Expr *Arg,
                            const TimerModel &Model) {
  if (const CXXRecordDecl *RD =
          D.isNull() ? nullptr : D->getAsCXXRecordDecl()) {
    if (RD->getIdentifier() && RD->getName() == "default_delete")
      return true; // delete
    if (const auto *L = dyn_cast_or_null<LambdaExpr>(
            ignoreTransparent(Arg, PeelValue | PeelConversions)))
      return functionReleases(L->getCallOperator(), Model);
    for (const CXXMethodDecl *M : RD->methods())
      if (M->getOverloadedOperator() == OO_Call && functionReleases(M, Model))
        return true;
    return false;
  }
  const Expr *E = ignoreTransparent(Arg, PeelValue | PeelAddressOf);
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E))
    return functionReleases(dyn_cast<FunctionDecl>(DRE->getDecl()), Model);
  return false;
}

bool releasesOnDestruction(const VarDecl *Owner, const TimerModel &Model) {
  if (!Owner)
    return false;
  const CXXRecordDecl *RD = Owner->getType()->getAsCXXRecordDecl();
  if (!RD)
    return false;
  const auto *Ctor = dyn_cast_or_null<CXXConstructExpr>(
      ignoreTransparent(Owner->getInit(), PeelTemporaries));
  const Expr *Arg1 =
      Ctor && Ctor->getNumArgs() >= 2 ? Ctor->getArg(1) : nullptr;
  if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD)) {
    std::string Name = qualifiedName(Spec->getSpecializedTemplate());
    const TemplateArgumentList &Args = Spec->getTemplateArgs();
    if (Name == "std::unique_ptr" && Args.size() >= 2 &&
        Args[1].getKind() == TemplateArgument::Type)
      return deleterReleases(Args[1].getAsType(), Arg1, Model);
    if (Name == "std::shared_ptr")
      return Arg1 ? deleterReleases(Arg1->getType(), Arg1, Model) : true;
  }
  const CXXDestructorDecl *D = RD->getDestructor();
  return D && D->isUserProvided() && functionReleases(D, Model);
}

const VarDecl *adoptingOwner(const Stmt *S, const ValueDecl *Key,
                             const Expr *Creation, const TimerModel &Model) {
  const auto *DS = dyn_cast_or_null<DeclStmt>(S);
  if (!DS)
    return nullptr;
  for (const Decl *D : DS->decls()) {
    const auto *VD = dyn_cast<VarDecl>(D);
    if (!VD || !VD->hasLocalStorage() || !VD->getInit() ||
        !VD->getType()->getAsCXXRecordDecl())
      continue;
    bool Given =
        anyStmt(
            VD->getInit(), [&](const Stmt *X) { return X == Creation; },
            LambdaPolicy::Skip) ||
        (VD != Key && mentions(VD->getInit(), Key));
    if (Given && releasesOnDestruction(VD, Model))
      return VD;
  }
  return nullptr;
}

/// Whether \p X releases every element of \p C.
static bool releasesEach(const Stmt *X, const ValueDecl *C,
                         const TimerModel &Model) {
  if (const auto *E = dyn_cast<Expr>(X))
    if (const auto *CE =
            dyn_cast<CallExpr>(ignoreTransparent(E, PeelTemporaries)))
      return calleeName(CE) == "qDeleteAll" && CE->getNumArgs() == 1 &&
             handleKey(CE->getArg(0)) == C;
  const ValueDecl *Each = nullptr; // what the body must release
  if (const auto *R = dyn_cast<CXXForRangeStmt>(X)) {
    if (handleKey(R->getRangeInit()) == C)
      Each = R->getLoopVariable();
  } else if (isa<ForStmt, WhileStmt>(X)) {
    Each = C; // `delete C[i]`: handleKey of C[i] is C
  }
  return Each && anyStmt(
                     X,
                     [&](const Stmt *S) {
                       return isReleaseOf(S, Each, Model, /*StopCounts=*/false);
                     },
                     LambdaPolicy::Skip);
}

bool releasesAllOf(const Stmt *S, const ValueDecl *C, const TimerModel &Model,
                   ASTContext &Ctx) {
  const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(S);
  if (!C || !MC || !MC->getMethodDecl() ||
      !MC->getMethodDecl()->getIdentifier() ||
      MC->getMethodDecl()->getName() != "clear" ||
      handleKey(MC->getImplicitObjectArgument()) != C)
    return false;
  // The statement of the enclosing block that holds the call.
  const Stmt *Cur = S;
  const CompoundStmt *Block = nullptr;
  for (unsigned Depth = 0; Depth < 8 && !Block; ++Depth) {
    auto Ps = ParentIndex::get(Ctx).parents(*Cur);
    const Stmt *P = Ps.empty() ? nullptr : Ps.front().get<Stmt>();
    if (!P || !isa<Expr, CompoundStmt>(P))
      return false;
    Block = dyn_cast<CompoundStmt>(P);
    if (!Block)
      Cur = P;
  }
  if (!Block)
    return false;
  for (const Stmt *X : Block->body()) {
    if (X == Cur)
      return false;
    if (releasesEach(X, C, Model))
      return true;
  }
  return false;
}

const VarDecl *HolderModel::adopts(const Stmt *S) {
  if (const VarDecl *O = adoptingOwner(S, Key, Creation, Model))
    return Owner = O;
  return nullptr;
}

/// `owner.release()`: a smart pointer gives the timer back.
static bool isOwnerRelease(const Stmt *S, const ValueDecl *Owner) {
  const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
  return Owner && MC && MC->getMethodDecl() &&
         MC->getMethodDecl()->getIdentifier() &&
         MC->getMethodDecl()->getName() == "release" &&
         handleKey(MC->getImplicitObjectArgument()) == Owner;
}

ResourceModel::Effect HolderModel::effectOf(const Stmt *S) {
  if (isOwnerRelease(S, Owner))
    return Disowns;
  if (isReleaseOf(S, Key, Model, /*StopCounts=*/false))
    return Releases;
  if (const auto *CE = dyn_cast<CallExpr>(S)) {
    TimerCall TC = Model.classify(CE);
    if (TC && TC.Handle && handleKey(TC.Handle) == Key)
      return NoEffect;
    if (isHarmlessCallee(calleeName(CE)))
      return NoEffect;
    for (const Expr *A : CE->arguments())
      if (handleKey(A) == Key)
        return Escapes;
    return NoEffect;
  }
  switch (classifyUse(S, Key, PM).K) {
  case VarUse::StoredAway:
  case VarUse::Returned:
  case VarUse::Moved:
  case VarUse::Captured:
  case VarUse::AddressTaken:
    return Escapes;
  default:
    return NoEffect;
  }
}

FailureConvention creationFailure(const Expr *Creation,
                                  const TimerModel &Model) {
  const auto *CE = dyn_cast_or_null<CallExpr>(Creation);
  TimerCall TC = CE ? Model.classify(CE) : TimerCall();
  if (TC.Role != TimerRole::Create)
    return FailureConvention::None;
  switch (TC.Framework) {
  case TimerFramework::TimerFd:
    return FailureConvention::NegativeValue;
  case TimerFramework::Posix:
  case TimerFramework::LibUv:
    return FailureConvention::NonZeroStatus;
  case TimerFramework::LibEvent:
    return FailureConvention::NullPointer;
  default:
    return CE->getType()->isPointerType() ? FailureConvention::NullPointer
                                          : FailureConvention::None;
  }
}

namespace {
/// Marks the statements that empty \p Container (releasesAllOf).
class RefillModel : public ResourceModel {
public:
  RefillModel(const ValueDecl *Container, const TimerModel &Model,
              ASTContext &Ctx)
      : Container(Container), Model(Model), Ctx(Ctx) {}
  Effect effectOf(const Stmt *S) override {
    return releasesAllOf(S, Container, Model, Ctx) ? ReleasesAll : NoEffect;
  }

private:
  const ValueDecl *Container;
  const TimerModel &Model;
  ASTContext &Ctx;
};
} // namespace

bool releasedBeforeRefill(const Expr *Creation, const ValueDecl *Container,
                          FunctionCFG &CFG, const TimerModel &Model) {
  RefillModel M(Container, Model, CFG.context());
  return releasedBeforeEveryPath(CFG, Creation, M, 50000) ==
         ReleasedBefore::Always;
}

} // namespace leaklib
} // namespace clang
