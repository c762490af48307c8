//===--- LifetimeEngine.cpp - leak-tidy ----------------------------------===//
#include "lib/core/LifetimeEngine.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/DenseMap.h"
#include <deque>

namespace clang {
namespace leaklib {

ResourceModel::~ResourceModel() = default;
LifetimeHandler::~LifetimeHandler() = default;

bool ResourceModel::mayThrow(const Stmt *S) { return mayThrowDefault(S); }

static bool functionMayThrow(const FunctionDecl *FD) {
  if (!FD)
    return true; // calls through pointers: unknown, assume they may
  if (FD->isExternC() || FD->isInExternCContext())
    return false;
  if (isa<CXXDestructorDecl>(FD))
    return false;
  if (const auto *FPT = FD->getType()->getAs<FunctionProtoType>())
    if (FPT->isNothrow())
      return false;
  return true;
}

bool mayThrowDefault(const Stmt *S) {
  if (const auto *CE = dyn_cast<CallExpr>(S)) {
    if (CE->getBuiltinCallee())
      return false;
    return functionMayThrow(CE->getDirectCallee());
  }
  if (const auto *CCE = dyn_cast<CXXConstructExpr>(S)) {
    const CXXConstructorDecl *Ctor = CCE->getConstructor();
    if (!Ctor || Ctor->isTrivial())
      return false;
    return functionMayThrow(Ctor);
  }
  return false;
}

const PathStep *LeakPath::leavingStep() const {
  for (auto It = Steps.rbegin(); It != Steps.rend(); ++It) {
    switch (It->K) {
    case PathStep::Return:
    case PathStep::Break:
    case PathStep::Continue:
    case PathStep::Goto:
    case PathStep::Throw:
    case PathStep::MayThrow:
      return &*It;
    default:
      break;
    }
  }
  return Steps.empty() ? nullptr : &Steps.back();
}

namespace {

/// Whether \p Inner is \p Outer or nested inside it (through the parent map).
bool isWithin(ParentMap &PM, const Stmt *Inner, const Stmt *Outer) {
  for (const Stmt *S = Inner; S; S = PM.getParent(S))
    if (S == Outer)
      return true;
  return false;
}

/// The DeclStmt that declares \p V, found through the parent map of the body.
const DeclStmt *declStmtOf(FunctionCFG &F, const VarDecl *V) {
  if (!V)
    return nullptr;
  // The holder's DeclStmt is usually an element of the CFG.
  for (const CFGBlock *B : F.cfg())
    for (const CFGElement &E : *B)
      if (auto CS = E.getAs<CFGStmt>())
        if (const auto *DS = dyn_cast<DeclStmt>(CS->getStmt()))
          for (const Decl *D : DS->decls())
            if (D == V)
              return DS;
  return nullptr;
}

SourceLocation scopeEndLoc(const Stmt *Trigger) {
  if (!Trigger)
    return {};
  if (const auto *CS = dyn_cast<CompoundStmt>(Trigger))
    return CS->getRBracLoc();
  return Trigger->getBeginLoc();
}

struct Visit {
  const CFGBlock *Pred = nullptr;
  const Stmt *ViaException = nullptr; // the may-throw call for handler edges
};

class Search {
public:
  Search(FunctionCFG &F, const LifetimeQuery &Q, ResourceModel &M,
         bool Exceptions)
      : F(F), Q(Q), M(M), Exceptions(Exceptions) {}

  enum Outcome { NoLeak, Leak, Budget };

  Outcome run(ElementRef Start) {
    HolderDecl = declStmtOf(F, Q.Holder);
    StartBlock = Start.Block;
    Seen[Start.Block] = Visit{};
    Queue.push_back({Start.Block, Start.Index + 1, true});
    while (!Queue.empty()) {
      Item It = Queue.front();
      Queue.pop_front();
      Outcome O = processBlock(It);
      if (O != NoLeak)
        return O;
    }
    return NoLeak;
  }

  LeakPath Path;

private:
  struct Item {
    const CFGBlock *B;
    unsigned From;
    bool IsStart;
  };

  FunctionCFG &F;
  const LifetimeQuery &Q;
  ResourceModel &M;
  bool Exceptions;
  const DeclStmt *HolderDecl = nullptr;
  const CFGBlock *StartBlock = nullptr;
  unsigned Visits = 0;
  std::deque<Item> Queue;
  llvm::DenseMap<const CFGBlock *, Visit> Seen;
  // Where the start block was re-entered from the top (a loop back edge).
  const CFGBlock *ReenteredStartFrom = nullptr;
  const CFGBlock *LeakBlock = nullptr;

  void enqueue(const CFGBlock *Succ, const CFGBlock *From,
               const Stmt *ViaException = nullptr) {
    if (!Succ)
      return;
    if (Succ == StartBlock) {
      // Loop back to the acquiring block: walk it from the top once.
      if (ReenteredStartFrom)
        return;
      ReenteredStartFrom = From;
      Queue.push_back({Succ, 0, false});
      return;
    }
    if (Seen.count(Succ))
      return;
    Seen[Succ] = Visit{From, ViaException};
    Queue.push_back({Succ, 0, false});
  }

  static const CXXThrowExpr *throwIn(const CFGBlock *B) {
    if (const auto *T = dyn_cast_or_null<CXXThrowExpr>(B->getTerminatorStmt()))
      return T;
    for (const auto *It = B->rbegin(); It != B->rend(); ++It)
      if (auto CS = It->getAs<CFGStmt>())
        if (const auto *T = dyn_cast<CXXThrowExpr>(CS->getStmt()))
          return T;
    return nullptr;
  }

  /// Whether unwinding from \p At destroys the holder before \p Try's
  /// handlers run (the holder is declared inside the try block).
  bool holderDiesBefore(const CXXTryStmt *Try) {
    return HolderDecl && isWithin(F.parents(), HolderDecl, Try->getTryBlock());
  }

  Outcome leak(LeakPath::ExitKind Kind, const CFGBlock *At, PathStep Final,
               bool AtStartAgain = false) {
    Path.Exit = Kind;
    LeakBlock = At;
    buildSteps(At, AtStartAgain);
    // The statement that ends At's block is how the path leaves the scope.
    if (const Stmt *T = At->getTerminatorStmt()) {
      PathStep::Kind K = PathStep::Acquire;
      if (isa<BreakStmt>(T))
        K = PathStep::Break;
      else if (isa<ContinueStmt>(T))
        K = PathStep::Continue;
      else if (isa<GotoStmt>(T) || isa<IndirectGotoStmt>(T))
        K = PathStep::Goto;
      else if (isa<CXXThrowExpr>(T) && Kind == LeakPath::AtScopeEnd) {
        K = PathStep::Throw;
        Kind = LeakPath::OnThrow;
      }
      if (K != PathStep::Acquire && Final.K != PathStep::Throw)
        Path.Steps.push_back({K, T, T->getBeginLoc()});
    }
    Path.Exit = Kind;
    Path.Steps.push_back(Final);
    return Leak;
  }

  Outcome processBlock(const Item &It) {
    const CFGBlock *B = It.B;
    bool Again = !It.IsStart && B == StartBlock;
    unsigned Idx = 0;
    for (const CFGElement &E : *B) {
      unsigned I = Idx++;
      if (I < It.From)
        continue;
      if (++Visits > Q.MaxVisits)
        return Budget;
      if (auto CS = E.getAs<CFGStmt>()) {
        const Stmt *S = CS->getStmt();
        if (S == Q.Acquire) {
          if (!Q.ReportReacquire)
            return NoLeak;
          return leak(LeakPath::OnReacquire, B,
                      {PathStep::Reacquire, S, S->getBeginLoc()}, Again);
        }
        ResourceModel::Effect Eff = M.effectOf(S);
        if (Eff != ResourceModel::NoEffect)
          return NoLeak; // this path releases or hands the resource off
        if (Exceptions && M.mayThrow(S)) {
          Outcome O = followException(B, S, Again);
          if (O != NoLeak)
            return O;
        }
        continue;
      }
      if (auto D = E.getAs<CFGAutomaticObjDtor>()) {
        if (Q.Holder && D->getVarDecl() == Q.Holder)
          return leak(LeakPath::AtScopeEnd, B,
                      {PathStep::ScopeEnd, D->getTriggerStmt(),
                       scopeEndLoc(D->getTriggerStmt())},
                      Again);
        continue;
      }
      if (auto L = E.getAs<CFGLifetimeEnds>()) {
        if (Q.Holder && L->getVarDecl() == Q.Holder)
          return leak(LeakPath::AtScopeEnd, B,
                      {PathStep::ScopeEnd, L->getTriggerStmt(),
                       scopeEndLoc(L->getTriggerStmt())},
                      Again);
        continue;
      }
    }
    if (B->hasNoReturnElement())
      return NoLeak; // exit(), abort(), ...: the process ends here
    if (B == &F.cfg().getExit()) {
      SourceLocation End;
      if (const auto *CS = dyn_cast_or_null<CompoundStmt>(F.body()))
        End = CS->getRBracLoc();
      return leak(LeakPath::AtFunctionEnd, B,
                  {PathStep::FunctionEnd, nullptr, End}, Again);
    }
    // A throw leaving the holder's scope: the unwinder destroys the holder.
    if (const CXXThrowExpr *Throw = throwIn(B)) {
      for (const CFGBlock *Succ : B->succs()) {
        if (!Succ)
          continue;
        const auto *Try =
            dyn_cast_or_null<CXXTryStmt>(Succ->getTerminatorStmt());
        if ((Succ == &F.cfg().getExit() && !Q.EscapingExceptionsTerminate) ||
            (Try && holderDiesBefore(Try)))
          return leak(LeakPath::OnThrow, B,
                      {PathStep::Throw, Throw, Throw->getBeginLoc()}, Again);
      }
      // Out of main() or a noexcept function: the process ends there.
      if (Q.EscapingExceptionsTerminate) {
        for (const CFGBlock *Succ : B->succs())
          if (Succ && Succ != &F.cfg().getExit())
            enqueue(Succ, B);
        return NoLeak;
      }
    }
    for (const CFGBlock *Succ : B->succs())
      enqueue(Succ, B);
    return NoLeak;
  }

  /// A call that may throw while held: into the handlers of an enclosing
  /// try in the holder's scope, or out of the scope (a leak).
  Outcome followException(const CFGBlock *B, const Stmt *Call, bool Again) {
    ParentMap &PM = F.parents();
    const Stmt *Child = Call;
    bool CaughtAfterScope = false;
    for (const Stmt *P = PM.getParent(Call); P;
         Child = P, P = PM.getParent(P)) {
      const auto *Try = dyn_cast<CXXTryStmt>(P);
      if (!Try || Child != Try->getTryBlock())
        continue;
      if (holderDiesBefore(Try)) {
        CaughtAfterScope = true;
        break;
      }
      bool CatchAll = false;
      for (unsigned I = 0, N = Try->getNumHandlers(); I < N; ++I) {
        const CXXCatchStmt *H = Try->getHandler(I);
        if (!H->getExceptionDecl())
          CatchAll = true;
        if (const CFGBlock *HB = F.handlerBlock(H))
          if (!Seen.count(HB)) {
            Seen[HB] = Visit{B, Call};
            Queue.push_back({HB, 0, false});
          }
      }
      if (CatchAll)
        return NoLeak;
    }
    // Out of the function: std::terminate anyway in main() or noexcept.
    if (!CaughtAfterScope && Q.EscapingExceptionsTerminate)
      return NoLeak;
    return leak(LeakPath::OnMayThrow, B,
                {PathStep::MayThrow, Call, Call->getBeginLoc()}, Again);
  }

  void addBlockSteps(const CFGBlock *B, unsigned From, unsigned To) {
    unsigned Idx = 0;
    for (const CFGElement &E : *B) {
      unsigned I = Idx++;
      if (I < From || I >= To)
        continue;
      if (auto CS = E.getAs<CFGStmt>()) {
        if (const auto *R = dyn_cast<ReturnStmt>(CS->getStmt()))
          Path.Steps.push_back({PathStep::Return, R, R->getBeginLoc()});
        else if (const auto *T = dyn_cast<CXXThrowExpr>(CS->getStmt()))
          if (Path.Exit != LeakPath::OnThrow || B != LeakBlock)
            Path.Steps.push_back({PathStep::Throw, T, T->getBeginLoc()});
      }
    }
  }

  void addEdgeSteps(const CFGBlock *From, const CFGBlock *To,
                    const Stmt *ViaException) {
    if (ViaException) {
      Path.Steps.push_back(
          {PathStep::MayThrow, ViaException, ViaException->getBeginLoc()});
      if (const Stmt *L = To->getLabel())
        Path.Steps.push_back({PathStep::Handler, L, L->getBeginLoc()});
      return;
    }
    const Stmt *T = From->getTerminatorStmt();
    if (!T)
      return;
    switch (T->getStmtClass()) {
    case Stmt::BreakStmtClass:
      Path.Steps.push_back({PathStep::Break, T, T->getBeginLoc()});
      return;
    case Stmt::ContinueStmtClass:
      Path.Steps.push_back({PathStep::Continue, T, T->getBeginLoc()});
      return;
    case Stmt::GotoStmtClass:
    case Stmt::IndirectGotoStmtClass:
      Path.Steps.push_back({PathStep::Goto, T, T->getBeginLoc()});
      return;
    case Stmt::CXXThrowExprClass:
      Path.Steps.push_back({PathStep::Throw, T, T->getBeginLoc()});
      if (const Stmt *L = To->getLabel())
        if (isa<CXXCatchStmt>(L))
          Path.Steps.push_back({PathStep::Handler, L, L->getBeginLoc()});
      return;
    default:
      break;
    }
    unsigned NSucc = 0, Index = 0, Taken = 0;
    for (const CFGBlock::AdjacentBlock &Succ : From->succs()) {
      if (Succ.getReachableBlock() == To)
        Taken = Index;
      if (Succ.getReachableBlock())
        ++NSucc;
      ++Index;
    }
    if (NSucc < 2)
      return;
    PathStep Step{PathStep::Branch, T, T->getBeginLoc()};
    Step.Successor = Taken;
    if (isa<SwitchStmt>(T))
      Step.Label = To->getLabel();
    Path.Steps.push_back(Step);
  }

  void buildSteps(const CFGBlock *At, bool AtStartAgain) {
    // Blocks from the start block to At, in program order.
    llvm::SmallVector<const CFGBlock *, 16> Chain;
    const CFGBlock *Cur = At;
    if (AtStartAgain) {
      Chain.push_back(At);
      Cur = ReenteredStartFrom;
    }
    unsigned Guard = 0;
    while (Cur && Cur != StartBlock && ++Guard < 100000) {
      Chain.push_back(Cur);
      auto It = Seen.find(Cur);
      Cur = It == Seen.end() ? nullptr : It->second.Pred;
    }
    Chain.push_back(StartBlock);
    std::reverse(Chain.begin(), Chain.end());

    Path.Steps.clear();
    Path.Steps.push_back(
        {PathStep::Acquire, Q.Acquire, Q.Acquire->getBeginLoc()});
    for (size_t I = 0; I < Chain.size(); ++I) {
      const CFGBlock *B = Chain[I];
      unsigned From = 0;
      if (I == 0) {
        if (auto Ref = F.locate(Q.Acquire))
          From = Ref->Index + 1;
      }
      addBlockSteps(B, From, B->size());
      if (I + 1 < Chain.size()) {
        const Stmt *Via = nullptr;
        auto It = Seen.find(Chain[I + 1]);
        if (It != Seen.end() && !(AtStartAgain && I + 2 == Chain.size()))
          Via = It->second.ViaException;
        addEdgeSteps(B, Chain[I + 1], Via);
      }
    }
  }
};

} // namespace

LifetimeResult analyzeLifetime(FunctionCFG &F, const LifetimeQuery &Q,
                               ResourceModel &Model, LifetimeHandler &Handler) {
  if (!Q.Acquire)
    return LifetimeResult::GaveUp;
  std::optional<ElementRef> Start = F.locate(Q.Acquire);
  if (!Start)
    return LifetimeResult::GaveUp;

  for (bool Exceptions : {false, true}) {
    if (Exceptions && !Q.AnalyzeExceptionPaths)
      break;
    Search S(F, Q, Model, Exceptions);
    Search::Outcome O = S.run(*Start);
    if (O == Search::Budget)
      return LifetimeResult::GaveUp;
    if (O == Search::NoLeak)
      continue;
    switch (S.Path.Exit) {
    case LeakPath::OnThrow:
    case LeakPath::OnMayThrow:
      Handler.unreleasedOnException(S.Path);
      break;
    case LeakPath::OnReacquire:
      Handler.reacquiredWhileHeld(S.Path);
      break;
    default:
      Handler.unreleasedAtExit(S.Path);
      break;
    }
    return LifetimeResult::Leaked;
  }
  return LifetimeResult::Released;
}

std::string describeStep(const PathStep &Step) {
  switch (Step.K) {
  case PathStep::Acquire:
    return "acquired here";
  case PathStep::Branch: {
    const Stmt *T = Step.S;
    if (isa<SwitchStmt>(T)) {
      if (Step.Label && isa<DefaultStmt>(Step.Label))
        return "taking the default case";
      return Step.Label ? "taking this case" : "no case matches";
    }
    bool Loop = isa<WhileStmt>(T) || isa<ForStmt>(T) || isa<DoStmt>(T) ||
                isa<CXXForRangeStmt>(T);
    if (Loop)
      return Step.Successor == 0 ? "entering the loop" : "the loop exits";
    return Step.Successor == 0 ? "taking the true branch"
                               : "taking the false branch";
  }
  case PathStep::Return:
    return "returns here";
  case PathStep::Break:
    return "breaks out here";
  case PathStep::Continue:
    return "continues here";
  case PathStep::Goto:
    return "jumps away here";
  case PathStep::Throw:
    return "throws here";
  case PathStep::MayThrow:
    return "this call may throw";
  case PathStep::Handler:
    return "the exception is caught here";
  case PathStep::ScopeEnd:
    return "scope ends here";
  case PathStep::FunctionEnd:
    return "function ends here";
  case PathStep::Reacquire:
    return "acquired again here";
  }
  return "here";
}

} // namespace leaklib
} // namespace clang
