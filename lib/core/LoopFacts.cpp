//===--- LoopFacts.cpp - leak-tidy ---------------------------------------===//
#include "lib/core/LoopFacts.h"
#include "lib/core/VarUses.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"

namespace clang {
namespace leaklib {

bool isLoop(const Stmt *S) {
  return S && (isa<ForStmt>(S) || isa<WhileStmt>(S) || isa<DoStmt>(S) ||
               isa<CXXForRangeStmt>(S));
}

const Stmt *loopBody(const Stmt *Loop) {
  if (const auto *F = dyn_cast_or_null<ForStmt>(Loop))
    return F->getBody();
  if (const auto *W = dyn_cast_or_null<WhileStmt>(Loop))
    return W->getBody();
  if (const auto *D = dyn_cast_or_null<DoStmt>(Loop))
    return D->getBody();
  if (const auto *R = dyn_cast_or_null<CXXForRangeStmt>(Loop))
    return R->getBody();
  return nullptr;
}

const Expr *loopCondition(const Stmt *Loop) {
  if (const auto *F = dyn_cast_or_null<ForStmt>(Loop))
    return F->getCond();
  if (const auto *W = dyn_cast_or_null<WhileStmt>(Loop))
    return W->getCond();
  if (const auto *D = dyn_cast_or_null<DoStmt>(Loop))
    return D->getCond();
  return nullptr;
}

static std::optional<llvm::APSInt> constInt(const Expr *E, ASTContext &Ctx) {
  if (!E || E->isValueDependent() || E->isTypeDependent())
    return std::nullopt;
  Expr::EvalResult R;
  if (E->EvaluateAsInt(R, Ctx))
    return R.Val.getInt();
  return std::nullopt;
}

std::optional<uint64_t> constantTripCount(const Stmt *Loop, ASTContext &Ctx) {
  // A condition that is constant false: `do { ... } while (0)` (the macro
  // idiom) runs once, `while (0)` never.
  if (const Expr *C = loopCondition(Loop)) {
    bool Value = true;
    if (!C->isValueDependent() && C->EvaluateAsBooleanCondition(Value, Ctx) &&
        !Value)
      return isa<DoStmt>(Loop) ? 1 : 0;
  }
  if (const auto *R = dyn_cast_or_null<CXXForRangeStmt>(Loop)) {
    const Expr *Range = R->getRangeInit();
    if (!Range)
      return std::nullopt;
    if (const auto *CAT =
            Ctx.getAsConstantArrayType(Range->IgnoreParenImpCasts()->getType()))
      return CAT->getSize().getZExtValue();
    // A braced list: `for (auto d : {1, 2, 3})`, under the full-expression,
    // the materialized temporary and the std::initializer_list.
    for (unsigned Depth = 0; Range && Depth < 8; ++Depth) {
      Range = Range->IgnoreParenImpCasts();
      if (const auto *IL = dyn_cast<InitListExpr>(Range))
        return IL->getNumInits();
      if (const auto *FE = dyn_cast<FullExpr>(Range))
        Range = FE->getSubExpr();
      else if (const auto *MTE = dyn_cast<MaterializeTemporaryExpr>(Range))
        Range = MTE->getSubExpr();
      else if (const auto *SIL = dyn_cast<CXXStdInitializerListExpr>(Range))
        Range = SIL->getSubExpr();
      else
        break;
    }
    return std::nullopt;
  }
  const auto *F = dyn_cast_or_null<ForStmt>(Loop);
  if (!F || !F->getCond() || !F->getInc())
    return std::nullopt;
  // Induction variable and its start value.
  const VarDecl *IV = nullptr;
  std::optional<llvm::APSInt> Start;
  if (const auto *DS = dyn_cast_or_null<DeclStmt>(F->getInit())) {
    if (DS->isSingleDecl())
      if (const auto *VD = dyn_cast<VarDecl>(DS->getSingleDecl())) {
        IV = VD;
        Start = constInt(VD->getInit(), Ctx);
      }
  } else if (const auto *BO = dyn_cast_or_null<BinaryOperator>(F->getInit())) {
    if (BO->getOpcode() == BO_Assign)
      if (const auto *DRE =
              dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts())) {
        IV = dyn_cast<VarDecl>(DRE->getDecl());
        Start = constInt(BO->getRHS(), Ctx);
      }
  }
  if (!IV || !Start || !IV->getType()->isIntegerType())
    return std::nullopt;
  // Step.
  int64_t Step = 0;
  const Expr *Inc = F->getInc()->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(Inc)) {
    if (UO->isIncrementOp())
      Step = 1;
    else if (UO->isDecrementOp())
      Step = -1;
  } else if (const auto *CAO = dyn_cast<CompoundAssignOperator>(Inc)) {
    if (auto K = constInt(CAO->getRHS(), Ctx)) {
      if (CAO->getOpcode() == BO_AddAssign)
        Step = K->getExtValue();
      else if (CAO->getOpcode() == BO_SubAssign)
        Step = -K->getExtValue();
    }
  }
  if (Step == 0)
    return std::nullopt;
  // Condition: IV op Limit.
  const auto *Cond =
      dyn_cast<BinaryOperator>(F->getCond()->IgnoreParenImpCasts());
  if (!Cond)
    return std::nullopt;
  const auto *L = dyn_cast<DeclRefExpr>(Cond->getLHS()->IgnoreParenImpCasts());
  if (!L || L->getDecl() != IV)
    return std::nullopt;
  std::optional<llvm::APSInt> Limit = constInt(Cond->getRHS(), Ctx);
  if (!Limit)
    return std::nullopt;
  int64_t S = Start->getExtValue(), E = Limit->getExtValue();
  int64_t Count = 0;
  switch (Cond->getOpcode()) {
  case BO_LT:
    Count = Step > 0 && E > S ? (E - S + Step - 1) / Step : 0;
    break;
  case BO_LE:
    Count = Step > 0 && E >= S ? (E - S) / Step + 1 : 0;
    break;
  case BO_GT:
    Count = Step < 0 && S > E ? (S - E + (-Step) - 1) / (-Step) : 0;
    break;
  case BO_GE:
    Count = Step < 0 && S >= E ? (S - E) / (-Step) + 1 : 0;
    break;
  case BO_NE:
    if (Step != 1 && Step != -1)
      return std::nullopt;
    Count = Step > 0 ? E - S : S - E;
    if (Count < 0)
      return std::nullopt;
    break;
  default:
    return std::nullopt;
  }
  // The body must not write the induction variable (a cheap check).
  llvm::SmallVector<const Stmt *, 32> Work{F->getBody()};
  while (!Work.empty()) {
    const Stmt *Cur = Work.pop_back_val();
    if (!Cur)
      continue;
    if (const auto *UO = dyn_cast<UnaryOperator>(Cur))
      if (UO->isIncrementDecrementOp())
        if (const auto *D =
                dyn_cast<DeclRefExpr>(UO->getSubExpr()->IgnoreParenImpCasts()))
          if (D->getDecl() == IV)
            return std::nullopt;
    if (const auto *BO = dyn_cast<BinaryOperator>(Cur))
      if (BO->isAssignmentOp())
        if (const auto *D =
                dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts()))
          if (D->getDecl() == IV)
            return std::nullopt;
    for (const Stmt *C : Cur->children())
      Work.push_back(C);
  }
  return static_cast<uint64_t>(Count);
}

bool isEndlessByCondition(const Stmt *Loop, ASTContext &Ctx) {
  if (!isLoop(Loop) || isa<CXXForRangeStmt>(Loop))
    return false;
  const Expr *C = loopCondition(Loop);
  if (!C)
    return isa<ForStmt>(Loop); // for (;;)
  if (C->isValueDependent())
    return false;
  bool Value = false;
  return C->EvaluateAsBooleanCondition(Value, Ctx) && Value;
}

static bool isNoReturnCall(const CallExpr *CE) {
  if (const FunctionDecl *FD = CE->getDirectCallee()) {
    if (FD->isNoReturn())
      return true;
    llvm::StringRef N = calleeName(CE);
    return N == "exit" || N == "_exit" || N == "abort" || N == "quick_exit" ||
           N == "pthread_exit" || N == "terminate" || N == "_Exit";
  }
  return false;
}

LoopExits findLoopExits(const Stmt *Loop) {
  LoopExits X;
  // (statement, depth of breakable constructs between it and Loop)
  llvm::SmallVector<std::pair<const Stmt *, unsigned>, 64> Work;
  if (const Stmt *B = loopBody(Loop))
    Work.push_back({B, 0});
  if (const Expr *C = loopCondition(Loop))
    Work.push_back({C, 0});
  while (!Work.empty()) {
    auto [S, Depth] = Work.pop_back_val();
    if (!S)
      continue;
    if (isa<LambdaExpr>(S) || isa<BlockExpr>(S))
      continue;
    if (isa<BreakStmt>(S) && Depth == 0)
      X.Break = true;
    else if (isa<ReturnStmt>(S) || isa<CoreturnStmt>(S))
      X.Return = true;
    else if (isa<CXXThrowExpr>(S))
      X.Throw = true;
    else if (isa<GotoStmt>(S) || isa<IndirectGotoStmt>(S))
      X.Goto = true;
    else if (const auto *CE = dyn_cast<CallExpr>(S)) {
      if (isNoReturnCall(CE))
        X.NoReturnCall = true;
    }
    unsigned ChildDepth = Depth + ((isLoop(S) || isa<SwitchStmt>(S)) ? 1 : 0);
    for (const Stmt *C : S->children())
      Work.push_back({C, ChildDepth});
  }
  return X;
}

static bool isSharedDecl(const ValueDecl *D) {
  if (const auto *VD = dyn_cast<VarDecl>(D)) {
    if (VD->hasGlobalStorage() || VD->getTLSKind() != VarDecl::TLS_None)
      return true;
    QualType T = VD->getType();
    if (T.isVolatileQualified())
      return true;
    if (isa<ParmVarDecl>(VD) && (T->isReferenceType() || T->isPointerType()))
      return true;
    if (T->isReferenceType())
      return true; // a local reference: to what, we do not know
    if (const auto *RD = T->getAsCXXRecordDecl())
      if (RD->getIdentifier()) {
        llvm::StringRef N = RD->getName();
        if (N.contains("atomic") || N.contains("stop_token") ||
            N.contains("future") || N.contains("shared_ptr"))
          return true;
      }
    return false;
  }
  return isa<FieldDecl>(D);
}

bool readsSharedState(const Expr *E) {
  if (!E)
    return false;
  llvm::SmallVector<const Stmt *, 32> Work{E};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (isa<CallExpr>(S) || isa<CXXConstructExpr>(S) || isa<CXXThisExpr>(S) ||
        isa<MemberExpr>(S))
      return true; // a call or member read may see what others write
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
      if (isSharedDecl(DRE->getDecl()))
        return true;
    if (const auto *UO = dyn_cast<UnaryOperator>(S))
      if (UO->getOpcode() == UO_Deref)
        return true;
    for (const Stmt *C : S->children())
      Work.push_back(C);
  }
  return false;
}

static bool isWaitCall(const CallExpr *CE, const NameMatcher &Waits) {
  const FunctionDecl *FD = CE->getDirectCallee();
  if (!FD)
    return false;
  return Waits.matches(FD);
}

bool waitsEachTurn(const Stmt *Loop, const NameMatcher &WaitFunctions) {
  // Calls reached from the body without passing through a conditional or an
  // inner loop or a lambda.
  llvm::SmallVector<const Stmt *, 32> Work;
  if (const Stmt *B = loopBody(Loop))
    Work.push_back(B);
  if (const Expr *C = loopCondition(Loop))
    Work.push_back(C);
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (isa<LambdaExpr>(S) || isLoop(S) || isa<SwitchStmt>(S))
      continue;
    if (const auto *If = dyn_cast<IfStmt>(S)) {
      Work.push_back(If->getCond()); // the condition always runs
      continue;
    }
    if (const auto *CO = dyn_cast<AbstractConditionalOperator>(S)) {
      Work.push_back(CO->getCond());
      continue;
    }
    if (const auto *CE = dyn_cast<CallExpr>(S))
      if (isWaitCall(CE, WaitFunctions))
        return true;
    for (const Stmt *C : S->children())
      Work.push_back(C);
  }
  return false;
}

std::vector<std::string> defaultWaitFunctions() {
  return {"std::this_thread::sleep_for",
          "std::this_thread::sleep_until",
          "boost::this_thread::sleep_for",
          "boost::this_thread::sleep_until",
          "boost::this_thread::sleep",
          "boost::this_fiber::sleep_for",
          "boost::this_fiber::sleep_until",
          "sleep",
          "usleep",
          "nanosleep",
          "clock_nanosleep",
          "g_usleep",
          "std::condition_variable::wait_for",
          "std::condition_variable::wait_until",
          "std::condition_variable_any::wait_for",
          "std::condition_variable_any::wait_until",
          "boost::condition_variable::wait_for",
          "boost::condition_variable::wait_until",
          "QThread::sleep",
          "QThread::msleep",
          "QThread::usleep",
          "poll",
          "epoll_wait",
          "select"};
}

} // namespace leaklib
} // namespace clang
