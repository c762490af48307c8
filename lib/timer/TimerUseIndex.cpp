//===--- TimerUseIndex.cpp - leak-tidy ------------------------------------===//
#include "lib/timer/TimerUseIndex.h"
#include "lib/core/VarUses.h"
#include "lib/timer/HandleUses.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

namespace clang {
namespace leaklib {

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
    const Expr *E = peelValue(Init);
    if (const auto *New = dyn_cast<CXXNewExpr>(E)) {
      if (Model.timerClassOf(New->getAllocatedType()))
        Out.Creation.try_emplace(Key, New);
      return;
    }
    if (const auto *CE = dyn_cast<CallExpr>(E)) {
      if (const Expr *Made = createdBy(CE))
        Out.Creation.try_emplace(Key, Made);
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

  /// The timer \p CE creates and returns: a create call of a C API
  /// (event_new, timerfd_create, g_timeout_add), or a helper of this TU
  /// that returns a fresh `new QTimer`, event_new, ... (returnedCreation).
  const Expr *createdBy(const CallExpr *CE) {
    TimerCall TC = Model.classify(CE);
    if ((TC.Role == TimerRole::Create || TC.Role == TimerRole::CreateAndArm) &&
        !TC.Handle)
      return CE;
    if (TC)
      return nullptr;
    return returnedCreation(CE, [&](const Expr *R) {
      R = peelValue(R);
      if (const auto *New = dyn_cast<CXXNewExpr>(R))
        return Model.timerClassOf(New->getAllocatedType()) != nullptr;
      const auto *C = dyn_cast<CallExpr>(R);
      return C && createdBy(C) == C;
    });
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
      if (HK && N == "uv_close")
        Out.UvCloses.push_back({HK, CE});
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

bool runsEventLoop(const Stmt *Body, bool CountGLib) {
  bool Runs = false;
  forEachOwnStmt(Body, [&](const Stmt *S) {
    const auto *CE = dyn_cast<CallExpr>(S);
    if (!CE || Runs)
      return;
    llvm::StringRef N = calleeName(CE);
    if (N == "uv_run" || (CountGLib && N == "g_main_loop_run") ||
        N == "gtk_main" || N == "event_base_dispatch" ||
        N == "event_base_loop" || N == "g_application_run") {
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

} // namespace leaklib
} // namespace clang
