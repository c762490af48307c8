//===--- TimerFacts.cpp - leak-tidy --------------------------------------===//
#include "lib/timer/TimerFacts.h"
#include "lib/core/FunctionCFG.h"
#include "lib/core/LifetimeEngine.h"
#include "lib/core/LoopFacts.h"
#include "lib/core/ParentIndex.h"
#include "lib/core/VarUses.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringSwitch.h"

namespace clang {
namespace leaklib {

//===-- Small helpers
//------------------------------------------------------===//

static const Expr *skipWrappers(const Expr *E) {
  while (E) {
    const Expr *Next = E->IgnoreParenCasts();
    if (const auto *EWC = dyn_cast<ExprWithCleanups>(Next))
      Next = EWC->getSubExpr();
    else if (const auto *MTE = dyn_cast<MaterializeTemporaryExpr>(Next))
      Next = MTE->getSubExpr();
    else if (const auto *BTE = dyn_cast<CXXBindTemporaryExpr>(Next))
      Next = BTE->getSubExpr();
    else if (const auto *CCE = dyn_cast<CXXConstructExpr>(Next);
             CCE && CCE->getNumArgs() == 1 && !isa<CXXTemporaryObjectExpr>(CCE))
      Next = CCE->getArg(0); // shared_ptr<T> from make_shared's result
    if (Next == E)
      return E;
    E = Next;
  }
  return E;
}

/// `sev.sigev_value.sival_ptr = &timer` (the POSIX timer notification).
static bool isSigevValue(const Expr *LHS) {
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

/// Walks \p Root and its children, not into lambdas/blocks.
template <typename Fn> static void walkOwn(const Stmt *Root, Fn F) {
  llvm::SmallVector<const Stmt *, 64> Work{Root};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (S != Root && (isa<LambdaExpr>(S) || isa<BlockExpr>(S) ||
                      isa<UnaryExprOrTypeTraitExpr>(S)))
      continue; // other functions, and sizeof/alignof (unevaluated)
    F(S);
    for (const Stmt *C : S->children())
      Work.push_back(C);
  }
}

static bool isContainerInsert(const CallExpr *CE) {
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

static bool argMentions(const Expr *Arg, const ValueDecl *Key) {
  bool Found = false;
  if (!Arg || isa<UnaryExprOrTypeTraitExpr>(Arg->IgnoreParenImpCasts()))
    return false; // sizeof *t
  walkOwn(Arg, [&](const Stmt *S) {
    if (const auto *E = dyn_cast<Expr>(S))
      if ((isa<DeclRefExpr>(E) || isa<MemberExpr>(E)) && handleKey(E) == Key)
        Found = true;
  });
  return Found;
}

/// `connect(t, &QTimer::timeout, t, &QObject::deleteLater)`.
static bool connectsDeleteLater(const CallExpr *CE, const ValueDecl *Key) {
  if (calleeName(CE) != "connect")
    return false;
  bool Mentions = false, DeleteLater = false;
  for (const Expr *A : CE->arguments()) {
    if (handleKey(A) == Key)
      Mentions = true;
    walkOwn(A, [&](const Stmt *S) {
      if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
        if (DRE->getDecl()->getIdentifier() &&
            DRE->getDecl()->getName() == "deleteLater")
          DeleteLater = true;
    });
  }
  return Mentions && DeleteLater;
}

static bool isReleaseOf(const Stmt *S, const ValueDecl *Key,
                        const TimerModel &Model, bool StopCounts) {
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
  return connectsDeleteLater(CE, Key);
}

/// Calls through which a handle does not escape: logging, fd I/O, Qt's
/// connect (the timer is the sender), the timer APIs themselves.
static bool isHarmlessCallee(llvm::StringRef N) {
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

static bool paramIsConst(const CallExpr *CE, unsigned I) {
  const FunctionDecl *FD = CE->getDirectCallee();
  if (!FD || I >= FD->getNumParams())
    return false;
  QualType T = FD->getParamDecl(I)->getType();
  if (T->isReferenceType() || T->isPointerType())
    return T->getPointeeType().isConstQualified();
  return false;
}

//===-- TimerUseIndex
//-------------------------------------------------------===//

namespace {
class IndexCollector : public RecursiveASTVisitor<IndexCollector> {
public:
  IndexCollector(TimerUseIndex &Out, const TimerModel &Model, ASTContext &Ctx)
      : Out(Out), Model(Model), Ctx(Ctx) {}

  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitLambdaBody() const { return true; }

  bool TraverseDecl(Decl *D) {
    if (D && !isa<TranslationUnitDecl>(D) && D->getLocation().isValid() &&
        Ctx.getSourceManager().isInSystemHeader(D->getLocation()))
      return true;
    return RecursiveASTVisitor::TraverseDecl(D);
  }

  void recordCreation(const ValueDecl *Key, const Expr *Init,
                      const Expr *LhsExpr = nullptr) {
    if (!Key || !Init)
      return;
    const Expr *E = skipWrappers(Init);
    if (const auto *New = dyn_cast<CXXNewExpr>(E)) {
      if (Model.timerClassOf(New->getAllocatedType()))
        Out.Creation.try_emplace(Key, New);
      return;
    }
    if (const auto *CE = dyn_cast<CallExpr>(E)) {
      TimerCall TC = Model.classify(CE);
      if ((TC.Role == TimerRole::Create ||
           TC.Role == TimerRole::CreateAndArm) &&
          !TC.Handle)
        Out.Creation.try_emplace(Key, CE);
      return;
    }
    // A copy of another handle: an alias (not sigev_value.sival_ptr, which
    // only tells the notification which timer fired).
    if (isSigevValue(LhsExpr))
      return;
    if (const ValueDecl *Other = handleKey(E))
      if (Other != Key)
        Out.Escaped.insert(Other);
  }

  bool VisitVarDecl(VarDecl *V) {
    if (V->getInit() && !isa<ParmVarDecl>(V))
      recordCreation(V, V->getInit());
    return true;
  }

  bool VisitBinaryOperator(BinaryOperator *BO) {
    if (BO->getOpcode() == BO_Assign)
      recordCreation(handleKey(BO->getLHS()), BO->getRHS(), BO->getLHS());
    return true;
  }

  bool VisitReturnStmt(ReturnStmt *R) {
    if (R->getRetValue())
      if (const ValueDecl *K = handleKey(R->getRetValue()))
        Out.Escaped.insert(K);
    return true;
  }

  bool VisitCXXDeleteExpr(CXXDeleteExpr *D) {
    if (const ValueDecl *K = handleKey(D->getArgument()))
      Out.Released.insert(K);
    return true;
  }

  bool VisitCallExpr(CallExpr *CE) {
    llvm::StringRef N = calleeName(CE);
    if (N == "uv_walk")
      Out.UvWalk = true;
    else if (N == "pthread_cancel")
      Out.PthreadCancel = true;
    else if (N.starts_with("g_source_remove_by"))
      Out.GSourceRemoveBy = true;

    TimerCall TC = Model.classify(CE);
    const ValueDecl *HK = TC.Handle ? handleKey(TC.Handle) : nullptr;
    if (TC.Role == TimerRole::Stop || TC.Role == TimerRole::Destroy) {
      if (HK)
        Out.Released.insert(HK);
    } else if (TC.Role == TimerRole::Create && HK) {
      Out.Creation.try_emplace(HK, CE);
    }
    if (N == "close" && CE->getNumArgs() == 1)
      if (const ValueDecl *K = handleKey(CE->getArg(0)))
        Out.Released.insert(K);
    if (N == "connect" && CE->getNumArgs() > 0)
      for (const Expr *A : CE->arguments())
        if (const ValueDecl *K = handleKey(A))
          if (connectsDeleteLater(CE, K))
            Out.Released.insert(K);

    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(CE)) {
      const CXXMethodDecl *MD = MC->getMethodDecl();
      const Expr *Obj = MC->getImplicitObjectArgument();
      if (MD && MD->getIdentifier() && Obj &&
          Model.timerClassOf(Obj->IgnoreParenImpCasts()->getType())) {
        const ValueDecl *K = handleKey(MC->getImplicitObjectArgument());
        llvm::StringRef M = MD->getName();
        if (K && M == "setSingleShot") {
          bool Value = true;
          if (MC->getNumArgs() == 1)
            if (!MC->getArg(0)->EvaluateAsBooleanCondition(Value, Ctx))
              Value = true;
          if (Value)
            Out.SingleShot.insert(K);
        }
        if (K && (M == "setParent" || M == "moveToThread"))
          Out.Escaped.insert(K);
      }
    }

    // Arguments handed to code we do not model.
    if (TC || isHarmlessCallee(N) || CE->isCallToStdMove())
      return true;
    unsigned First = isa<CXXOperatorCallExpr>(CE) ? 1 : 0;
    for (unsigned I = First; I < CE->getNumArgs(); ++I) {
      const Expr *A = CE->getArg(I);
      const ValueDecl *K = handleKey(A);
      if (!K || paramIsConst(CE, I - First))
        continue;
      Out.Escaped.insert(K);
    }
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(CE))
      if (OC->isAssignmentOp() && OC->getNumArgs() == 2) {
        recordCreation(handleKey(OC->getArg(0)), OC->getArg(1));
      }
    return true;
  }

  bool VisitCXXConstructExpr(CXXConstructExpr *CCE) {
    // A handle copied into another object (a shared_ptr copy, a wrapper).
    // Lambdas capturing a handle need nothing here: their bodies are
    // indexed like any other code, with the same declarations.
    for (const Expr *A : CCE->arguments()) {
      const ValueDecl *K = handleKey(A);
      if (!K)
        continue;
      QualType T = A->getType();
      if ((T->isPointerType() || T->isRecordType()) &&
          (!Model.timerClassOf(CCE->getType()) ||
           CCE->getConstructor()->isCopyOrMoveConstructor()))
        Out.Escaped.insert(K);
    }
    return true;
  }

private:
  TimerUseIndex &Out;
  const TimerModel &Model;
  ASTContext &Ctx;
};
} // namespace

TimerUseIndex::TimerUseIndex(ASTContext &Ctx, const TimerModel &Model) {
  IndexCollector C(*this, Model, Ctx);
  C.TraverseDecl(Ctx.getTranslationUnitDecl());
}

bool runsEventLoop(const Stmt *Body) {
  bool Runs = false;
  walkOwn(Body, [&](const Stmt *S) {
    const auto *CE = dyn_cast<CallExpr>(S);
    if (!CE || Runs)
      return;
    llvm::StringRef N = calleeName(CE);
    if (N == "uv_run" || N == "g_main_loop_run" || N == "gtk_main" ||
        N == "event_base_dispatch" || N == "event_base_loop" ||
        N == "g_application_run") {
      Runs = true;
      return;
    }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(CE))
      if (const CXXMethodDecl *MD = MC->getMethodDecl())
        if (MD->getIdentifier()) {
          std::string Cls = qualifiedName(MD->getParent());
          if (MD->getName() == "exec" &&
              (Cls == "QCoreApplication" || Cls == "QApplication" ||
               Cls == "QGuiApplication" || Cls == "QEventLoop" ||
               Cls == "QThread"))
            Runs = true;
          if ((MD->getName() == "run" || MD->getName() == "join") &&
              (llvm::StringRef(Cls).contains("io_context") ||
               llvm::StringRef(Cls).contains("io_service")))
            Runs = true;
        }
    if (const FunctionDecl *FD = CE->getDirectCallee())
      if (FD->getIdentifier() && FD->getName() == "exec" &&
          isa<CXXMethodDecl>(FD) && cast<CXXMethodDecl>(FD)->isStatic()) {
        std::string Cls = qualifiedName(cast<CXXMethodDecl>(FD)->getParent());
        if (Cls == "QCoreApplication" || Cls == "QApplication" ||
            Cls == "QGuiApplication")
          Runs = true;
      }
  });
  return Runs;
}

bool classFullyVisible(const CXXRecordDecl *RD,
                       const std::vector<std::string> &StopMethods) {
  if (!RD || !RD->hasDefinition())
    return false;
  RD = RD->getDefinition();
  for (const CXXMethodDecl *M : RD->methods()) {
    if (M->isDeleted() || M->isDefaulted() || M->isPureVirtual())
      continue;
    if (isa<CXXDestructorDecl>(M) && M->isUserProvided() && !M->isDefined())
      return false;
    if (M->getIdentifier() && !M->isDefined())
      for (const std::string &S : StopMethods)
        if (M->getName() == S)
          return false;
  }
  return true;
}

//===-- Creations and pile-up
//------------------------------------------------===//

bool isTimerCreation(const Expr *E, const TimerModel &Model,
                     TimerFramework *Framework) {
  if (!E)
    return false;
  if (const auto *New = dyn_cast<CXXNewExpr>(E)) {
    const CXXRecordDecl *RD = Model.timerClassOf(New->getAllocatedType());
    if (RD && Framework)
      *Framework = Model.classFramework(RD);
    return RD != nullptr;
  }
  const auto *CE = dyn_cast<CallExpr>(E);
  if (!CE)
    return false;
  llvm::StringRef N = calleeName(CE);
  if (N == "make_shared" || N == "make_unique" || N == "allocate_shared") {
    const CXXRecordDecl *RD = Model.timerClassOf(CE->getType());
    if (RD && Framework)
      *Framework = Model.classFramework(RD);
    return RD != nullptr;
  }
  TimerCall TC = Model.classify(CE);
  if (TC.Role == TimerRole::Create || TC.Role == TimerRole::CreateAndArm) {
    if (N == "event_assign")
      return false; // initialises caller-owned storage: nothing allocated
    if (N == "event_new") {
      const FunctionDecl *FD = CE->getDirectCallee();
      if (!FD || !TimerModel::isTimerEvent(CE, FD->getASTContext()))
        return false; // an event on a socket or a signal: not a timer
    }
    if (Framework)
      *Framework = TC.Framework;
    return true;
  }
  return false;
}

std::vector<const Expr *> timerCreations(const Stmt *Scope,
                                         const TimerModel &Model) {
  std::vector<const Expr *> Out;
  walkOwn(Scope, [&](const Stmt *S) {
    if (const auto *E = dyn_cast<Expr>(S))
      if (isTimerCreation(E, Model))
        Out.push_back(E);
  });
  return Out;
}

namespace {
/// What the holder of a new timer does within a scope.
struct HolderUses {
  bool Released = false;
  bool Escaped = false;
  const CallExpr *ContainerInsert = nullptr;
  const ValueDecl *Container = nullptr;
  const CallExpr *OwnHandlerWait = nullptr; ///< async_wait capturing it
  std::optional<double> Expiry;
};

class HolderModel : public ResourceModel {
public:
  HolderModel(const ValueDecl *Key, const TimerModel &Model, ParentMap &PM)
      : Key(Key), Model(Model), PM(PM) {}
  Effect effectOf(const Stmt *S) override {
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
    VarUse U = classifyUse(S, Key, PM);
    switch (U.K) {
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
  bool mayThrow(const Stmt *) override { return false; }

private:
  const ValueDecl *Key;
  const TimerModel &Model;
  ParentMap &PM;
};

} // namespace

static HolderUses scanHolder(const ValueDecl *Key, const Stmt *Scope,
                             const Expr *Creation, const TimerModel &Model,
                             ASTContext &Ctx) {
  HolderUses U;
  // Lambdas passed to `Key->async_wait(...)` that capture Key.
  llvm::SmallPtrSet<const LambdaExpr *, 4> OwnHandlers;
  walkOwn(Scope, [&](const Stmt *S) {
    const auto *CE = dyn_cast<CallExpr>(S);
    if (!CE)
      return;
    TimerCall TC = Model.classify(CE);
    if (TC.Handle && handleKey(TC.Handle) == Key) {
      if (TC.Role == TimerRole::Arm && calleeName(CE) == "async_wait" &&
          CE->getNumArgs() > 0)
        if (const auto *L = dyn_cast<LambdaExpr>(skipWrappers(CE->getArg(0)))) {
          OwnHandlers.insert(L);
          if (capturesVar(L, Key) && !U.OwnHandlerWait)
            U.OwnHandlerWait = CE;
        }
      if (TC.Role == TimerRole::SetExpiry)
        if (auto D = TimerModel::constantDelay(CE, TC, Ctx))
          U.Expiry = D;
    }
  });
  walkOwn(Scope, [&](const Stmt *S) {
    if (S == Creation)
      return;
    if (isReleaseOf(S, Key, Model, /*StopCounts=*/false)) {
      U.Released = true;
      return;
    }
    if (const auto *L = dyn_cast<LambdaExpr>(S)) {
      if (!OwnHandlers.count(L) && capturesVar(L, Key))
        U.Escaped = true;
      return;
    }
    if (const auto *CE = dyn_cast<CallExpr>(S)) {
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
        if (!argMentions(A, Key))
          continue;
        if (const auto *L = dyn_cast<LambdaExpr>(skipWrappers(A)))
          if (OwnHandlers.count(L))
            continue;
        if (isContainerInsert(CE) && !U.ContainerInsert) {
          U.ContainerInsert = CE;
          U.Container = handleKey(
              cast<CXXMemberCallExpr>(CE)->getImplicitObjectArgument());
        } else if (!isContainerInsert(CE)) {
          if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(CE))
            if (OC->isAssignmentOp() && OC->getNumArgs() == 2 &&
                isa<CXXOperatorCallExpr>(skipWrappers(OC->getArg(0))) &&
                cast<CXXOperatorCallExpr>(skipWrappers(OC->getArg(0)))
                        ->getOperator() == OO_Subscript) {
              // container[k] = timer
              if (!U.ContainerInsert) {
                U.ContainerInsert = CE;
                U.Container = handleKey(OC->getArg(0));
              }
              continue;
            }
          if (!paramIsConst(CE, I - First))
            U.Escaped = true;
        }
      }
      return;
    }
    if (const auto *R = dyn_cast<ReturnStmt>(S)) {
      if (R->getRetValue() && argMentions(R->getRetValue(), Key))
        U.Escaped = true;
      return;
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
      if (BO->getOpcode() == BO_Assign && handleKey(BO->getRHS()) == Key &&
          handleKey(BO->getLHS()) != Key && !isSigevValue(BO->getLHS())) {
        // arr[i] = t is a container store; anything else hands it off.
        if (isa<ArraySubscriptExpr>(BO->getLHS()->IgnoreParenImpCasts())) {
          if (!U.ContainerInsert)
            U.Container = handleKey(BO->getLHS());
        } else {
          U.Escaped = true;
        }
      }
      return;
    }
    if (const auto *DS = dyn_cast<DeclStmt>(S)) {
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D))
          if (VD != Key && VD->getInit() && handleKey(VD->getInit()) == Key)
            U.Escaped = true;
    }
  });
  return U;
}

static bool declaredInside(const ValueDecl *D, const Stmt *Scope,
                           ASTContext &Ctx) {
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

static bool mentionedAfter(const ValueDecl *Key, const Stmt *Function,
                           SourceLocation After, ASTContext &Ctx) {
  bool Found = false;
  SourceManager &SM = Ctx.getSourceManager();
  llvm::SmallVector<const Stmt *, 64> Work{Function};
  while (!Work.empty() && !Found) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (const auto *E = dyn_cast<Expr>(S))
      if ((isa<DeclRefExpr>(E) || isa<MemberExpr>(E)) && handleKey(E) == Key &&
          SM.isBeforeInTranslationUnit(After, E->getBeginLoc()))
        Found = true;
    for (const Stmt *C : S->children())
      Work.push_back(C);
  }
  return Found;
}

/// A member container is cleaned up when the destructor or a
/// stop/close/clear-like method mentions it.
static bool memberContainerCleaned(const FieldDecl *FD) {
  const auto *RD = dyn_cast<CXXRecordDecl>(FD->getParent());
  if (!RD)
    return true; // a C struct: we cannot tell
  for (const CXXMethodDecl *M : RD->methods()) {
    bool Cleanup = isa<CXXDestructorDecl>(M);
    if (M->getIdentifier()) {
      std::string N = M->getName().lower();
      for (const char *W : {"stop", "close", "shutdown", "cancel", "clear",
                            "reset", "teardown", "cleanup", "quit", "finish"})
        if (llvm::StringRef(N).contains(W))
          Cleanup = true;
    }
    const FunctionDecl *Def = nullptr;
    if (!Cleanup)
      continue;
    if (!M->isDefined(Def))
      return true; // defined elsewhere: assume it cleans up
    bool Mentions = false;
    walkOwn(Def->getBody(), [&](const Stmt *S) {
      if (const auto *ME = dyn_cast<MemberExpr>(S))
        if (ME->getMemberDecl() == FD)
          Mentions = true;
    });
    if (Mentions)
      return true;
  }
  return false;
}

/// The variable/member a return-value creation is stored into, walking up
/// from \p E. Sets \p Discarded when the value is dropped.
static const ValueDecl *holderOf(const Expr *E, ASTContext &Ctx,
                                 bool &Discarded, const CallExpr *&PassedTo) {
  Discarded = false;
  PassedTo = nullptr;
  const Stmt *Cur = E;
  for (unsigned Depth = 0; Depth < 12; ++Depth) {
    llvm::ArrayRef<DynTypedNode> Parents = ParentIndex::get(Ctx).parents(*Cur);
    if (Parents.empty())
      return nullptr;
    if (const auto *VD = Parents[0].get<VarDecl>())
      return VD;
    const Stmt *P = Parents[0].get<Stmt>();
    if (!P)
      return nullptr;
    if (isa<CompoundStmt>(P) || isa<IfStmt>(P) || isa<ForStmt>(P) ||
        isa<WhileStmt>(P) || isa<DoStmt>(P) || isa<SwitchCase>(P)) {
      Discarded = true;
      return nullptr;
    }
    if (const auto *CS = dyn_cast<CStyleCastExpr>(P))
      if (CS->getType()->isVoidType()) {
        Discarded = true;
        return nullptr;
      }
    if (const auto *BO = dyn_cast<BinaryOperator>(P)) {
      if (BO->getOpcode() == BO_Assign && BO->getRHS() == Cur)
        return handleKey(BO->getLHS());
      return nullptr;
    }
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(P)) {
      if (OC->isAssignmentOp() && OC->getNumArgs() == 2 && OC->getArg(1) == Cur)
        return handleKey(OC->getArg(0));
      return nullptr;
    }
    if (const auto *CE = dyn_cast<CallExpr>(P)) {
      PassedTo = CE;
      return nullptr;
    }
    if (isa<Expr>(P) &&
        (isa<ImplicitCastExpr>(P) || isa<ParenExpr>(P) ||
         isa<ExprWithCleanups>(P) || isa<MaterializeTemporaryExpr>(P) ||
         isa<CXXBindTemporaryExpr>(P) || isa<CXXConstructExpr>(P) ||
         isa<CXXFunctionalCastExpr>(P) || isa<ExplicitCastExpr>(P))) {
      Cur = P;
      continue;
    }
    return nullptr;
  }
  return nullptr;
}

std::optional<PileUp> findPileUp(const Expr *Creation, const Stmt *Scope,
                                 const Stmt *Loop, const Stmt *Function,
                                 FunctionCFG *CFG, const TimerModel &Model,
                                 ASTContext &Ctx, const PileUpOptions &Opts) {
  TimerFramework FW = TimerFramework::User;
  if (!isTimerCreation(Creation, Model, &FW))
    return std::nullopt;
  PileUp P;
  P.Framework = FW;
  P.Creation = Creation;
  P.Evidence = Creation;

  const auto *CE = dyn_cast<CallExpr>(Creation);
  TimerCall TC = CE ? Model.classify(CE) : TimerCall();
  bool IsCApi = CE && (TC.Role == TimerRole::Create ||
                       TC.Role == TimerRole::CreateAndArm);

  // QTimer::singleShot: lives until it fires.
  if (IsCApi && TC.Framework == TimerFramework::Qt) {
    auto D = TimerModel::constantDelay(CE, TC, Ctx);
    if (!D || *D < Opts.MinDelaySeconds)
      return std::nullopt;
    P.Why = PileUp::PendingUntilFired;
    P.Duration = D;
    return P;
  }

  // Who holds the new timer?
  bool Discarded = false;
  const CallExpr *PassedTo = nullptr;
  const ValueDecl *Holder = nullptr;
  if (IsCApi && TC.Handle) {
    Holder = handleKey(TC.Handle);
    if (TC.Framework == TimerFramework::LibUv) {
      // uv_timer_init(loop, &local): a stack handle of this iteration (a
      // dangling-handle bug, not a pile-up) -- stay silent.
      const Expr *H = TC.Handle->IgnoreParenCasts();
      if (const auto *UO = dyn_cast<UnaryOperator>(H))
        if (UO->getOpcode() == UO_AddrOf)
          if (const auto *DRE = dyn_cast<DeclRefExpr>(
                  UO->getSubExpr()->IgnoreParenImpCasts()))
            if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
              if (VD->isLocalVarDecl() && !VD->isStaticLocal())
                return std::nullopt;
    }
    // &timers[i]: stored into an array.
    const Expr *H = TC.Handle->IgnoreParenCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(H))
      H = UO->getSubExpr()->IgnoreParenCasts();
    if (isa<ArraySubscriptExpr>(H)) {
      P.Why = PileUp::StoredInContainer;
      P.Container = Holder;
    }
  } else {
    Holder = holderOf(Creation, Ctx, Discarded, PassedTo);
  }

  if (PassedTo) {
    if (isContainerInsert(PassedTo)) {
      P.Why = PileUp::StoredInContainer;
      P.Container = handleKey(
          cast<CXXMemberCallExpr>(PassedTo)->getImplicitObjectArgument());
      P.Evidence = PassedTo;
    } else {
      return std::nullopt; // handed to code we do not model
    }
  }

  // Holders outside the scope that are members or globals: the timer is
  // stored for later; whether it piles up depends on code we cannot order.
  if (Holder && P.Why != PileUp::StoredInContainer) {
    if (isa<FieldDecl>(Holder))
      return std::nullopt;
    if (const auto *VD = dyn_cast<VarDecl>(Holder))
      if (!VD->isLocalVarDeclOrParm() || VD->isStaticLocal())
        return std::nullopt;
    if (isa<ParmVarDecl>(Holder))
      return std::nullopt;
  }

  HolderUses U;
  if (Holder && P.Why != PileUp::StoredInContainer) {
    U = scanHolder(Holder, Scope, Creation, Model, Ctx);
    if (U.ContainerInsert) {
      P.Why = PileUp::StoredInContainer;
      P.Container = U.Container;
      P.Evidence = U.ContainerInsert;
    }
  }

  if (P.Why == PileUp::StoredInContainer) {
    const ValueDecl *C = P.Container;
    if (!C)
      return std::nullopt;
    if (declaredInside(C, Scope, Ctx))
      return std::nullopt; // the container dies with the iteration
    if (!Loop)
      return std::nullopt; // a helper storing it: handed to its caller
    if (mentionedAfter(C, Function, Loop->getEndLoc(), Ctx))
      return std::nullopt; // cleaned up after the loop (assumed)
    if (const auto *FD = dyn_cast<FieldDecl>(C))
      if (memberContainerCleaned(FD))
        return std::nullopt;
    if (const auto *VD = dyn_cast<VarDecl>(C))
      if (!VD->isLocalVarDeclOrParm() || VD->isStaticLocal() ||
          isa<ParmVarDecl>(VD))
        return std::nullopt; // a global or caller's container: not ours
    return P;
  }

  // A holder declared inside the scope is judged path by path by the
  // lifetime engine below; elsewhere any release in the scope counts.
  bool EngineDecides = Holder && CFG && declaredInside(Holder, Scope, Ctx) &&
                       CFG->locate(Creation);
  if (Holder && (U.Escaped || (U.Released && !EngineDecides)))
    return std::nullopt;

  // Per-framework reasons.
  if (const auto *New = dyn_cast<CXXNewExpr>(Creation);
      New && FW == TimerFramework::Qt) {
    const CXXConstructExpr *Ctor = New->getConstructExpr();
    bool Parented = Ctor && Ctor->getNumArgs() >= 1 &&
                    !isNullOrAbsent(Ctor->getArg(0), Ctx);
    if (!Parented && !Holder)
      return std::nullopt; // `new QTimer;` dropped: a plain memory leak
    P.Why = Parented ? PileUp::ParentOwned : PileUp::NeverReleased;
    P.Holder = Holder;
  } else if (FW == TimerFramework::Asio ||
             (FW == TimerFramework::User && !IsCApi)) {
    // A heap timer: piles up only when its own handler keeps it alive.
    if (!U.OwnHandlerWait)
      return std::nullopt;
    P.Why = PileUp::CapturedByHandler;
    P.Evidence = U.OwnHandlerWait;
    P.Holder = Holder;
    P.Duration = U.Expiry;
    if (!P.Duration) {
      const CXXConstructExpr *Ctor = nullptr;
      if (const auto *New = dyn_cast<CXXNewExpr>(Creation))
        Ctor = New->getConstructExpr();
      if (CE && CE->getNumArgs() >= 2)
        P.Duration = TimerModel::chronoSeconds(CE->getArg(1), Ctx);
      if (Ctor && Ctor->getNumArgs() >= 2)
        P.Duration = TimerModel::chronoSeconds(Ctor->getArg(1), Ctx);
    }
    if (P.Duration && *P.Duration < Opts.MinDelaySeconds)
      return std::nullopt;
    return P;
  } else if (FW == TimerFramework::GLib) {
    const FunctionDecl *Cb = TimerModel::callbackOf(CE);
    P.Holder = Holder;
    P.Duration = TimerModel::constantDelay(CE, TC, Ctx);
    if (TimerModel::glibCallbackNeverRemoves(Cb)) {
      P.Why = PileUp::NeverRemoved;
    } else {
      if (P.Duration && *P.Duration < Opts.MinDelaySeconds)
        return std::nullopt;
      P.Why = PileUp::PendingUntilFired;
    }
    if (!Holder)
      return P;
  } else {
    // C handles: never deleted/closed/freed in the scope.
    if (!Holder && !Discarded)
      return std::nullopt;
    P.Why = PileUp::NeverReleased;
    P.Holder = Holder;
    // A callback that closes/frees its own timer (uv_close in the timer
    // callback, event_free of the callback argument): the timer lives until
    // it fires, like a one-shot.
    const FunctionDecl *Cb = TimerModel::callbackOf(CE);
    std::optional<double> Delay;
    if (Holder)
      walkOwn(Scope, [&](const Stmt *S) {
        if (const auto *Arm = dyn_cast<CallExpr>(S)) {
          TimerCall ATC = Model.classify(Arm);
          if (ATC.Role == TimerRole::Arm && ATC.Handle &&
              handleKey(ATC.Handle) == Holder) {
            if (const FunctionDecl *F = TimerModel::callbackOf(Arm))
              Cb = F;
            Delay = TimerModel::constantDelay(Arm, ATC, Ctx);
          }
        }
      });
    if (Cb && Model.callbackStopsTimers(Cb, FW) &&
        (FW == TimerFramework::LibUv || FW == TimerFramework::LibEvent)) {
      if (Delay && *Delay < Opts.MinDelaySeconds)
        return std::nullopt;
      P.Why = PileUp::PendingUntilFired;
      P.Duration = Delay;
    }
  }

  // A local holder declared inside the scope: ask the lifetime engine
  // whether some path reaches the end of its scope still holding the timer
  // (a conditional delete, a `continue` past it).
  if (EngineDecides) {
    LifetimeQuery Q;
    Q.Acquire = Creation;
    Q.Holder = cast<VarDecl>(Holder);
    Q.ReportReacquire = true;
    Q.MaxVisits = 50000;
    HolderModel M(Holder, Model, CFG->parents());
    LifetimeResult R = analyzeLifetime(*CFG, Q, M);
    if (R != LifetimeResult::Leaked)
      return std::nullopt;
  }
  return P;
}

//===-- Ticker loops
//--------------------------------------------------------===//

static bool isInterruptionPoint(const CallExpr *CE) {
  const FunctionDecl *FD = CE->getDirectCallee();
  if (!FD)
    return false;
  std::string Q = qualifiedName(FD);
  llvm::StringRef N(Q);
  return N.starts_with("boost::this_thread::") ||
         N.starts_with("boost::condition_variable") ||
         N.starts_with("boost::fibers::") || N == "pthread_testcancel";
}

const CallExpr *findTickerLoopWait(const Stmt *Loop, const NameMatcher &Waits,
                                   ASTContext &Ctx) {
  if (!isLoop(Loop) || !isEndlessByCondition(Loop, Ctx))
    return nullptr;
  if (findLoopExits(Loop).any())
    return nullptr;
  if (!waitsEachTurn(Loop, Waits))
    return nullptr;
  bool Interruptible = false;
  const CallExpr *FirstWait = nullptr;
  walkOwn(loopBody(Loop), [&](const Stmt *S) {
    if (isa<CoawaitExpr>(S) || isa<CoyieldExpr>(S))
      Interruptible = true;
    if (const auto *CE = dyn_cast<CallExpr>(S)) {
      if (isInterruptionPoint(CE))
        Interruptible = true;
      if (const FunctionDecl *FD = CE->getDirectCallee())
        if (Waits.matches(FD) &&
            (!FirstWait || Ctx.getSourceManager().isBeforeInTranslationUnit(
                               CE->getBeginLoc(), FirstWait->getBeginLoc())))
          FirstWait = CE;
    }
  });
  if (Interruptible)
    return nullptr;
  return FirstWait;
}

//===-- Asio re-arm
//---------------------------------------------------------===//

const CallExpr *findUnstoppableRearm(const CallExpr *AsyncWait,
                                     const FunctionDecl *Enclosing,
                                     const TimerModel &Model) {
  TimerCall TC = Model.classify(AsyncWait);
  if (TC.Role != TimerRole::Arm ||
      (TC.Framework != TimerFramework::Asio &&
       TC.Framework != TimerFramework::User) ||
      calleeName(AsyncWait) != "async_wait" || AsyncWait->getNumArgs() < 1)
    return nullptr;
  const ValueDecl *Key = handleKey(TC.Handle);
  if (!Key)
    return nullptr;
  // The handler: a lambda, or std::bind / boost::bind of a member function
  // (`bind(&C::onTick, this, _1)`) whose first parameter is the error code.
  const FunctionDecl *Handler = nullptr;
  const Stmt *HBody = nullptr;
  const Expr *H = skipWrappers(AsyncWait->getArg(0));
  if (const auto *L = dyn_cast<LambdaExpr>(H)) {
    Handler = L->getCallOperator();
    HBody = L->getBody();
  } else if (const auto *Bind = dyn_cast<CallExpr>(H)) {
    llvm::StringRef BN = calleeName(Bind);
    if ((BN == "bind" || BN == "bind_front") && Bind->getNumArgs() >= 2) {
      const Expr *Fn = Bind->getArg(0)->IgnoreParenImpCasts();
      if (const auto *UO = dyn_cast<UnaryOperator>(Fn))
        Fn = UO->getSubExpr()->IgnoreParenImpCasts();
      if (const auto *DRE = dyn_cast<DeclRefExpr>(Fn))
        if (const auto *MD = dyn_cast<CXXMethodDecl>(DRE->getDecl())) {
          const FunctionDecl *Def = nullptr;
          if (MD->hasBody(Def)) {
            Handler = Def;
            HBody = Def->getBody();
          }
        }
    }
  }
  if (!Handler || !HBody || Handler->getNumParams() < 1)
    return nullptr;
  if (Handler->getParamDecl(0)->isReferenced() ||
      Handler->getParamDecl(0)->isUsed())
    return nullptr; // the handler looks at the error code
  bool EarlyExit = false;
  walkOwn(HBody, [&](const Stmt *S) {
    if (isa<ReturnStmt>(S) || isa<CXXThrowExpr>(S) || isa<CoreturnStmt>(S) ||
        isa<GotoStmt>(S))
      EarlyExit = true;
    if (const auto *CE = dyn_cast<CallExpr>(S))
      if (const FunctionDecl *FD = CE->getDirectCallee())
        if (FD->isNoReturn())
          EarlyExit = true;
  });
  if (EarlyExit)
    return nullptr;
  // Statements run on every call: not under a condition, loop or switch.
  const FunctionDecl *EncCanon =
      Enclosing ? Enclosing->getCanonicalDecl() : nullptr;
  llvm::SmallVector<const Stmt *, 32> Work{HBody};
  const CallExpr *Found = nullptr;
  while (!Work.empty() && !Found) {
    const Stmt *S = Work.pop_back_val();
    if (!S || isa<LambdaExpr>(S) || isLoop(S) || isa<SwitchStmt>(S) ||
        isa<CXXTryStmt>(S))
      continue;
    if (const auto *If = dyn_cast<IfStmt>(S)) {
      Work.push_back(If->getCond());
      continue;
    }
    if (const auto *CO = dyn_cast<AbstractConditionalOperator>(S)) {
      Work.push_back(CO->getCond());
      continue;
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(S))
      if (BO->isLogicalOp()) {
        Work.push_back(BO->getLHS());
        continue;
      }
    if (const auto *CE = dyn_cast<CallExpr>(S)) {
      TimerCall Inner = Model.classify(CE);
      bool ArmsThisTimer = Inner.Role == TimerRole::Arm &&
                           calleeName(CE) == "async_wait" && Inner.Handle &&
                           handleKey(Inner.Handle) == Key;
      bool CallsEnclosing =
          EncCanon && CE->getDirectCallee() &&
          CE->getDirectCallee()->getCanonicalDecl() == EncCanon;
      if (ArmsThisTimer || CallsEnclosing)
        Found = CE;
    }
    for (const Stmt *C : S->children())
      Work.push_back(C);
  }
  return Found;
}

} // namespace leaklib
} // namespace clang
