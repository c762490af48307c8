//===--- ChannelWithoutReaderCheck.cpp - leak-tidy
//----------------------------------===//
#include "checks/ChannelWithoutReaderCheck.h"
#include "lib/channel/ChannelCounting.h"
#include "lib/core/FunctionCFG.h"
#include "lib/core/LifetimeEngine.h"
#include "lib/core/LoopFacts.h"
#include "lib/core/ParentIndex.h"
#include "lib/core/VarUses.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/EquivalenceClasses.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang::ast_matchers;
using clang::leaklib::CapacityKind;
using clang::leaklib::ChannelEvent;
using clang::leaklib::ChannelFamily;
using clang::leaklib::ChannelModel;
using clang::leaklib::ChannelOp;
using clang::leaklib::ChannelUse;

namespace clang::tidy::leak {

static const char *DefaultStartFunctions =
    "std::thread;std::jthread;boost::thread;boost::fibers::fiber;std::async;"
    "boost::fibers::async;boost::async;asio::post;asio::dispatch;asio::defer;"
    "asio::co_spawn;boost::asio::post;boost::asio::dispatch;boost::asio::defer;"
    "boost::asio::co_spawn";

ChannelWithoutReaderCheck::ChannelWithoutReaderCheck(StringRef Name,
                                                     ClangTidyContext *Context)
    : LeakCheck(Name, Context) {
  using D = leaklib::ChannelDefaults;
  leaklib::ChannelConfig C;
  C.Types = nameListOption("ChannelTypes", D::Types);
  C.Send = nameListOption("SendFunctions", D::Send);
  C.TrySend = nameListOption("TrySendFunctions", D::TrySend);
  C.Receive = nameListOption("ReceiveFunctions", D::Receive);
  C.TryReceive = nameListOption("TryReceiveFunctions", D::TryReceive);
  C.Close = nameListOption("CloseFunctions", D::Close);
  C.Other = nameListOption("OtherFunctions", D::Other);
  C.FutureWaits = nameListOption("FutureWaitFunctions", D::FutureWaits);
  StartFunctions.add(nameListOption("StartFunctions", DefaultStartFunctions));
  ReportEscapingChannels = boolOption("ReportEscapingChannels", false);
  // "Type=kind" entries: not plain names, parsed by the model.
  CapacitySemanticsRaw =
      Options.get("CapacitySemantics", D::CapacitySemantics).str();
  StringRef Raw = CapacitySemanticsRaw;
  if (Raw.trim().starts_with("+")) {
    C.CapacitySemantics = leaklib::splitList(D::CapacitySemantics);
    Raw = Raw.trim().drop_front();
  }
  for (std::string &E : leaklib::splitList(Raw))
    C.CapacitySemantics.push_back(std::move(E));
  std::vector<std::string> Errors;
  Model = std::make_unique<ChannelModel>(C, &Errors);
  for (const std::string &E : Errors)
    configurationDiag("invalid entry in the options of '%0' "
                      "(CapacitySemantics, FutureWaitFunctions): %1; the entry "
                      "is ignored")
        << getID() << E;
}

void ChannelWithoutReaderCheck::storeOptions(
    ClangTidyOptions::OptionMap &Opts) {
  LeakCheck::storeOptions(Opts);
  Options.store(Opts, "CapacitySemantics", CapacitySemanticsRaw);
}

void ChannelWithoutReaderCheck::registerMatchers(MatchFinder *Finder) {
  // One pass over the translation unit: form 3 needs every use of a channel
  // anywhere in it, forms 1 and 2 the uses inside one function.
  Finder->addMatcher(translationUnitDecl().bind("tu"), this);
}

namespace {

/// One reference to a channel handle.
struct RefInfo {
  const Expr *Ref = nullptr;
  ChannelUse Use;
  const LambdaExpr *Lambda = nullptr; ///< innermost enclosing lambda
};

struct HandleInfo {
  const ValueDecl *D = nullptr;
  const ChannelFamily *F = nullptr;
  std::vector<RefInfo> Refs;
};

/// A local channel variable: candidates for forms 1 and 2.
struct LocalChannel {
  const VarDecl *V = nullptr;
  const Decl *Scope = nullptr;        ///< function or lambda call operator
  const Stmt *Body = nullptr;         ///< its body
  const LambdaExpr *Lambda = nullptr; ///< the lambda it is declared in
};

/// The body as written: a coroutine's CoroutineBodyStmt wraps it.
const Stmt *userBody(const Stmt *Body) {
  if (const auto *CB = dyn_cast_or_null<CoroutineBodyStmt>(Body))
    return CB->getBody();
  return Body;
}

/// Collects every reference to a channel handle and to a future.
class Collector : public RecursiveASTVisitor<Collector> {
public:
  Collector(ASTContext &Ctx, const ChannelModel &M) : Ctx(Ctx), M(M) {}

  llvm::MapVector<const ValueDecl *, HandleInfo> Handles;
  llvm::DenseMap<const ValueDecl *, std::vector<const Expr *>> FutureRefs;
  std::vector<LocalChannel> Locals;
  llvm::DenseMap<const LambdaExpr *, const LambdaExpr *> LambdaParent;
  /// Pointer / smart pointer handles that are given a new channel.
  llvm::DenseSet<const ValueDecl *> Created;

  bool TraverseConstructorInitializer(CXXCtorInitializer *Init) {
    if (FieldDecl *FD = Init->getMember())
      if (family(FD->getType()) &&
          leaklib::isChannelCreation(Init->getInit()))
        Created.insert(FD);
    return RecursiveASTVisitor::TraverseConstructorInitializer(Init);
  }

  bool TraverseDecl(Decl *D) {
    if (!D)
      return true;
    if (!isa<TranslationUnitDecl>(D) && D->getLocation().isValid() &&
        Ctx.getSourceManager().isInSystemHeader(D->getLocation()))
      return true; // library code: not ours to judge, and large
    const auto *FD = dyn_cast<FunctionDecl>(D);
    bool Push = FD && FD->doesThisDeclarationHaveABody();
    if (Push)
      Functions.push_back(FD);
    bool R = RecursiveASTVisitor::TraverseDecl(D);
    if (Push)
      Functions.pop_back();
    return R;
  }

  bool TraverseLambdaExpr(LambdaExpr *L) {
    LambdaParent[L] = Lambdas.empty() ? nullptr : Lambdas.back();
    Lambdas.push_back(L);
    bool R = RecursiveASTVisitor::TraverseLambdaExpr(L);
    Lambdas.pop_back();
    return R;
  }

  bool VisitDeclRefExpr(DeclRefExpr *DRE) {
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    if (!VD)
      return true;
    if (const ChannelFamily *F = familyOfVar(VD))
      record(VD, F, DRE);
    else if (isFuture(VD->getType()))
      FutureRefs[VD].push_back(DRE);
    return true;
  }

  bool VisitMemberExpr(MemberExpr *ME) {
    const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl());
    if (!FD)
      return true;
    if (const ChannelFamily *F = family(FD->getType()))
      record(FD, F, ME);
    else if (isFuture(FD->getType()))
      FutureRefs[FD].push_back(ME);
    return true;
  }

  bool VisitVarDecl(VarDecl *VD) {
    if (isa<ParmVarDecl>(VD))
      return true;
    const ChannelFamily *F = familyOfVar(VD);
    if (!F)
      return true;
    if (leaklib::isChannelCreation(VD->getInit()))
      Created.insert(VD);
    if (!VD->hasLocalStorage() || Functions.empty())
      return true;
    HandleInfo &H = Handles[VD];
    H.D = VD;
    H.F = F;
    LocalChannel L;
    L.V = VD;
    if (!Lambdas.empty()) {
      L.Lambda = Lambdas.back();
      L.Scope = L.Lambda->getCallOperator();
      L.Body = userBody(L.Lambda->getBody());
    } else {
      L.Scope = Functions.back();
      L.Body = userBody(Functions.back()->getBody());
    }
    Locals.push_back(L);
    return true;
  }

  bool VisitFieldDecl(FieldDecl *FD) {
    if (const ChannelFamily *F = family(FD->getType())) {
      if (leaklib::isChannelCreation(FD->getInClassInitializer()))
        Created.insert(FD);
      HandleInfo &H = Handles[FD];
      H.D = FD;
      H.F = F;
    }
    return true;
  }

  /// The family of a variable; in a template, `auto ch =
  /// std::make_shared<buffered_channel<T>>(...)` is still undeduced: look at
  /// the explicit template argument of the factory.
  const ChannelFamily *familyOfVar(const VarDecl *VD) {
    if (const ChannelFamily *F = family(VD->getType()))
      return F;
    if (!VD->getType()->isUndeducedAutoType() || !VD->getInit())
      return nullptr;
    const auto *CE = dyn_cast<CallExpr>(VD->getInit()->IgnoreImplicit());
    const auto *ULE = CE ? dyn_cast<UnresolvedLookupExpr>(
                               CE->getCallee()->IgnoreParenImpCasts())
                         : nullptr;
    if (!ULE || !ULE->getName().isIdentifier() ||
        ULE->getNumTemplateArgs() != 1)
      return nullptr;
    StringRef N = ULE->getName().getAsIdentifierInfo()->getName();
    if (N != "make_shared" && N != "make_unique")
      return nullptr;
    const TemplateArgument &A = ULE->getTemplateArgs()[0].getArgument();
    if (A.getKind() != TemplateArgument::Type)
      return nullptr;
    return M.familyOfObjectType(A.getAsType());
  }

  const ChannelFamily *family(QualType T) {
    if (T.isNull())
      return nullptr;
    if (T->isDependentType())
      return M.familyOfHandleType(T);
    const Type *Canon = T.getCanonicalType().getTypePtr();
    auto It = TypeCache.find(Canon);
    if (It != TypeCache.end())
      return It->second;
    // The object type alone is cached by the model; the handle lookup looks
    // through pointers, references and smart pointers.
    const ChannelFamily *F = M.familyOfHandleType(T);
    // Typedef names (GAsyncQueue) are sugar: cache only positive answers
    // and negative answers for types without sugar.
    if (F || T.getTypePtr() == Canon)
      TypeCache[Canon] = F;
    return F;
  }

private:
  ASTContext &Ctx;
  const ChannelModel &M;
  std::vector<const FunctionDecl *> Functions;
  std::vector<const LambdaExpr *> Lambdas;
  llvm::DenseMap<const Type *, const ChannelFamily *> TypeCache;
  llvm::DenseMap<const CXXRecordDecl *, bool> FutureCache;

  bool isFuture(QualType T) {
    T = T.getNonReferenceType();
    const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
    if (!RD)
      return false;
    auto [It, New] = FutureCache.try_emplace(RD, false);
    if (New)
      It->second = M.isFutureType(RD);
    return It->second;
  }

  void record(const ValueDecl *D, const ChannelFamily *F, const Expr *Ref) {
    HandleInfo &H = Handles[D];
    H.D = D;
    H.F = F;
    RefInfo R;
    R.Ref = Ref;
    R.Use = M.classifyRef(Ref, *F, Ctx);
    R.Lambda = Lambdas.empty() ? nullptr : Lambdas.back();
    // `q = g_async_queue_new()`: the handle is given a channel of its own.
    if (R.Use.K == ChannelUse::Neutral && R.Use.Node)
      if (const auto *BO = dyn_cast<BinaryOperator>(R.Use.Node))
        if (BO->getLHS()->IgnoreParenImpCasts() == Ref &&
            leaklib::isChannelCreation(BO->getRHS()))
          Created.insert(D);
    H.Refs.push_back(R);
  }
};

/// Releases on a close of the channel, escapes when it is moved or returned.
class CloseModel : public leaklib::ResourceModel {
public:
  CloseModel(const llvm::DenseSet<const Stmt *> &Closes, const VarDecl *V,
             ParentMap &PM)
      : Closes(Closes), V(V), PM(PM) {}
  Effect effectOf(const Stmt *S) override {
    if (Closes.count(S))
      return Releases;
    leaklib::VarUse U = leaklib::classifyUse(S, V, PM);
    if (U.K == leaklib::VarUse::Moved ||
        U.K == leaklib::VarUse::Returned)
      return Escapes;
    return NoEffect;
  }

private:
  const llvm::DenseSet<const Stmt *> &Closes;
  const VarDecl *V;
  ParentMap &PM;
};

/// The analysis of one translation unit.
class Analysis {
public:
  Analysis(ASTContext &Ctx, const ChannelModel &M,
           const leaklib::NameMatcher &Starts, bool ReportEscaping)
      : Ctx(Ctx), M(M), Starts(Starts), ReportEscaping(ReportEscaping),
        C(Ctx, M) {}

  struct Finding {
    enum Kind { FanOut, Producer, NeverRead, PromiseNeverRead } K;
    const ValueDecl *Channel = nullptr;
    // FanOut
    uint64_t Senders = 0, Values = 0, Received = 0, Capacity = 0;
    const Stmt *Exit = nullptr;
    SourceLocation ExitLoc;
    llvm::SmallVector<std::pair<const Stmt *, uint64_t>, 4> StartNotes;
    // Producer
    const Stmt *ProducerLoop = nullptr;
    const Stmt *StopPoint = nullptr;
    bool Returned = false; // the channel goes to the caller
    // NeverRead
    const Expr *FirstSend = nullptr;
    const ValueDecl *Future = nullptr;
    bool FutureObtained = false;
    bool BlockingSend = false;
  };
  std::vector<Finding> Findings;

  void run() {
    C.TraverseAST(Ctx);
    llvm::DenseSet<const ValueDecl *> Reported;
    for (const LocalChannel &L : C.Locals)
      if (analyzeLocal(L))
        Reported.insert(L.V);
    neverRead(Reported);
  }

private:
  ASTContext &Ctx;
  const ChannelModel &M;
  const leaklib::NameMatcher &Starts;
  bool ReportEscaping;
  Collector C;
  llvm::DenseMap<const Decl *, std::unique_ptr<leaklib::FunctionCFG>> CFGs;

  leaklib::FunctionCFG *cfgFor(const Decl *D, const Stmt *Body) {
    auto [It, New] = CFGs.try_emplace(D);
    if (New)
      It->second = leaklib::FunctionCFG::build(D, Body, Ctx);
    return It->second.get();
  }

  /// The parent statement of \p S; through a variable whose initializer it
  /// is, the DeclStmt.
  const Stmt *parent(const Stmt *S) {
    llvm::ArrayRef<DynTypedNode> Ps =
        leaklib::ParentIndex::get(Ctx).parents(*S);
    if (Ps.empty())
      return nullptr;
    if (const Stmt *P = Ps[0].get<Stmt>())
      return P;
    if (const auto *VD = Ps[0].get<VarDecl>()) {
      llvm::ArrayRef<DynTypedNode> DPs =
          leaklib::ParentIndex::get(Ctx).parents(*VD);
      if (!DPs.empty())
        return DPs[0].get<Stmt>();
    }
    return nullptr;
  }

  bool isStartClass(const CXXRecordDecl *RD) {
    return RD && Starts.matches(RD);
  }

  /// The expression that starts \p L as a sender: a thread/fiber
  /// construction, std::async / asio::post call, or an emplace into a
  /// container of threads.
  const Expr *startOf(const LambdaExpr *L) {
    const Stmt *Cur = L;
    for (int Guard = 0; Guard < 8; ++Guard) {
      const Stmt *P = parent(Cur);
      if (!P)
        return nullptr;
      if (const auto *CCE = dyn_cast<CXXConstructExpr>(P)) {
        if (isStartClass(CCE->getConstructor()->getParent()))
          return CCE;
        Cur = P; // std::function<void()> from the lambda, ...
        continue;
      }
      if (const auto *UC = dyn_cast<CXXUnresolvedConstructExpr>(P)) {
        if (isStartClass(UC->getTypeAsWritten()->getAsCXXRecordDecl()))
          return UC;
        return nullptr;
      }
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(P)) {
        const CXXMethodDecl *MD = MC->getMethodDecl();
        if (MD && Starts.matches(MD))
          return MC; // pool.submit(task), as configured
        StringRef N = MD && MD->getIdentifier() ? MD->getName() : "";
        if (N == "emplace_back" || N == "emplace" || N == "emplace_front") {
          const auto *CTS = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
              MC->getRecordDecl());
          if (CTS && CTS->getTemplateArgs().size() > 0 &&
              CTS->getTemplateArgs()[0].getKind() == TemplateArgument::Type &&
              isStartClass(
                  CTS->getTemplateArgs()[0].getAsType()->getAsCXXRecordDecl()))
            return MC;
        }
        if (MC->getCallee()->IgnoreParenImpCasts() != Cur)
          return nullptr;
        Cur = P;
        continue;
      }
      if (const auto *CE = dyn_cast<CallExpr>(P)) {
        if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(CE))
          if (OC->getOperator() == OO_Call && OC->getArg(0) == Cur) {
            Cur = P; // co_spawn(ex, [&]() -> awaitable<void> {...}(), ...)
            continue;
          }
        if (const FunctionDecl *FD = CE->getDirectCallee())
          if (Starts.matches(FD))
            return CE;
        if (const auto *ULE = dyn_cast<UnresolvedLookupExpr>(
                CE->getCallee()->IgnoreParenImpCasts()))
          for (const NamedDecl *D : ULE->decls())
            if (Starts.matches(D->getUnderlyingDecl()))
              return CE;
        return nullptr;
      }
      if (isa<ImplicitCastExpr>(P) || isa<MaterializeTemporaryExpr>(P) ||
          isa<CXXBindTemporaryExpr>(P) || isa<ParenExpr>(P) ||
          isa<ExprWithCleanups>(P) || isa<CXXFunctionalCastExpr>(P)) {
        Cur = P;
        continue;
      }
      return nullptr;
    }
    return nullptr;
  }

  /// The innermost loop around \p S below \p Top, or null.
  const Stmt *enclosingLoop(const Stmt *S, const Stmt *Top) {
    for (const Stmt *P = parent(S); P && P != Top; P = parent(P)) {
      if (isa<LambdaExpr>(P))
        return nullptr;
      if (leaklib::isLoop(P))
        return P;
    }
    return nullptr;
  }

  /// A loop around \p S (inside \p Top) that runs without a known end and
  /// without a way out: the producer's endless or input-driven loop.
  const Stmt *unboundedLoopAround(const Stmt *S, const Stmt *Top) {
    for (const Stmt *P = parent(S); P && P != Top; P = parent(P)) {
      if (isa<LambdaExpr>(P))
        return nullptr;
      if (!leaklib::isLoop(P))
        continue;
      if (leaklib::constantTripCount(P, Ctx))
        continue;
      if (leaklib::findLoopExits(P).any())
        return nullptr; // it can stop: a stop flag, a status check, ...
      if (leaklib::isEndlessByCondition(P, Ctx) || isa<CXXForRangeStmt>(P))
        return P;
      const Expr *Cond = leaklib::loopCondition(P);
      if (Cond && leaklib::readsSharedState(Cond))
        return nullptr; // a stop flag or token the consumer may set
      return P;
    }
    return nullptr;
  }

  bool analyzeLocal(const LocalChannel &L);
  void neverRead(const llvm::DenseSet<const ValueDecl *> &Reported);
};

bool Analysis::analyzeLocal(const LocalChannel &L) {
  auto *HIt = C.Handles.find(L.V);
  if (HIt == C.Handles.end() || !L.Body)
    return false;
  const HandleInfo &H = HIt->second;
  const ChannelFamily &F = *H.F;
  if (F.Capacity == CapacityKind::Promise ||
      F.Capacity == CapacityKind::Unbounded)
    return false;
  if (L.V->getType()->isReferenceType())
    return false;

  // Every use must be visible: in the body itself, or in a sender lambda
  // directly inside it.
  llvm::MapVector<const LambdaExpr *, std::vector<const RefInfo *>> Senders;
  std::vector<const RefInfo *> Direct;
  const Stmt *ReturnedAt = nullptr; // returned to the caller (seed 003)
  for (const RefInfo &R : H.Refs) {
    if (R.Use.K == ChannelUse::Escape && R.Lambda == L.Lambda &&
        isa_and_nonnull<ReturnStmt>(R.Use.Node)) {
      ReturnedAt = R.Use.Node;
      continue;
    }
    switch (R.Use.K) {
    case ChannelUse::Alias:
    case ChannelUse::Escape:
    case ChannelUse::ExternalEscape:
    case ChannelUse::FutureInto:
    case ChannelUse::FutureDiscarded:
      return false;
    default:
      break;
    }
    if (R.Lambda == L.Lambda) {
      Direct.push_back(&R);
      continue;
    }
    if (!R.Lambda || C.LambdaParent.lookup(R.Lambda) != L.Lambda)
      return false;
    Senders[R.Lambda].push_back(&R);
  }
  if (Senders.empty())
    return false;

  llvm::DenseSet<const Stmt *> SendCalls, Closes;
  llvm::DenseMap<const Stmt *, ChannelEvent::Kind> DirectOps;
  for (const RefInfo *R : Direct) {
    if (R->Use.K == ChannelUse::Drain) {
      DirectOps[R->Use.Node] = ChannelEvent::Drain;
      continue;
    }
    if (R->Use.K != ChannelUse::Operation)
      continue;
    switch (R->Use.Op) {
    case ChannelOp::Receive:
      DirectOps[R->Use.Node] = ChannelEvent::Receive;
      break;
    case ChannelOp::TryReceive:
      DirectOps[R->Use.Node] = ChannelEvent::TryReceive;
      break;
    case ChannelOp::Close:
      DirectOps[R->Use.Node] = ChannelEvent::Close;
      Closes.insert(R->Use.Node);
      break;
    case ChannelOp::Other:
    case ChannelOp::None:
      break;
    default:
      DirectOps[R->Use.Node] = ChannelEvent::Opaque; // sends of its own
      break;
    }
  }

  // Each sender lambda: where it is started, what it sends.
  llvm::DenseMap<const Stmt *, std::pair<uint64_t, uint64_t>> StartCounts;
  const Stmt *ProducerLoop = nullptr;
  bool ProducerIgnoresClosed = true; // its sends return a status it drops
  bool Countable = true;
  bool SenderCloses = false;
  for (auto &[Lambda, Refs] : Senders) {
    const Expr *Start = startOf(Lambda);
    if (!Start)
      return false; // a lambda we do not see started: stay silent
    llvm::DenseSet<const Stmt *> Sends;
    for (const RefInfo *R : Refs) {
      if (R->Use.K == ChannelUse::Drain)
        return false;
      if (R->Use.K != ChannelUse::Operation)
        continue;
      if (R->Use.Op == ChannelOp::Send) {
        if (R->Use.StatusUsed)
          return false; // the sender checks for `closed` and can stop
        Sends.insert(R->Use.Node);
        if (const auto *SendCall = dyn_cast<CallExpr>(R->Use.Node))
          ProducerIgnoresClosed &= !SendCall->getType().isNull() &&
                                   !SendCall->getType()->isVoidType() &&
                                   !SendCall->getType()->isDependentType();
        if (!ProducerLoop)
          ProducerLoop =
              unboundedLoopAround(R->Use.Node, userBody(Lambda->getBody()));
      } else if (R->Use.Op == ChannelOp::Close) {
        SenderCloses = true; // a producer closing when done
      } else if (R->Use.Op != ChannelOp::TrySend &&
                 R->Use.Op != ChannelOp::Other) {
        return false; // the sender also receives
      }
    }
    leaklib::CountResult SR = leaklib::countChannelTraffic(
        userBody(Lambda->getBody()), Ctx, [&](const Stmt *S) {
          ChannelEvent E;
          if (Sends.count(S))
            E.K = ChannelEvent::Send;
          return E;
        });
    if (SR.GaveUp) {
      Countable = false;
      continue;
    }
    auto &Counts = StartCounts[Start];
    Counts.first += SR.minSent();
    Counts.second += 1;
  }

  leaklib::FunctionCFG *CFG = nullptr;
  auto ClosesOrEscapes = [&](const Stmt *S) {
    if (Closes.count(S))
      return true;
    leaklib::VarUse U = leaklib::classifyUse(S, L.V, CFG->parents());
    return U.K == leaklib::VarUse::Moved ||
           U.K == leaklib::VarUse::Returned;
  };

  // Seed 003: the channel is returned to a reader we cannot see, and the
  // producer loops forever ignoring the send status. Nothing the reader can
  // do ends it: it blocks when the reader stops, and spins once it closes.
  if (ReturnedAt) {
    if (!ProducerLoop || !ProducerIgnoresClosed ||
        !leaklib::isEndlessByCondition(ProducerLoop, Ctx))
      return false;
    Finding Fd;
    Fd.K = Finding::Producer;
    Fd.Channel = L.V;
    Fd.ProducerLoop = ProducerLoop;
    Fd.StopPoint = ReturnedAt;
    Fd.Returned = true;
    Findings.push_back(std::move(Fd));
    return true;
  }

  // Form 2: a producer without end, a reader that can stop early.
  if (ProducerLoop) {
    CFG = cfgFor(L.Scope, L.Body);
    if (!CFG)
      return false;
    // From each receive, can the reader reach the end of the channel's
    // scope without closing it? A loop that receives in its condition (or a
    // range-for over the channel) ends only when the channel is closed: its
    // exit edge is not a way out.
    for (const RefInfo *R : Direct) {
      bool IsReceive = R->Use.K == ChannelUse::Drain ||
                       (R->Use.K == ChannelUse::Operation &&
                        (R->Use.Op == ChannelOp::Receive ||
                         R->Use.Op == ChannelOp::TryReceive));
      if (!IsReceive)
        continue;
      const Stmt *From = R->Use.Node;
      const Stmt *NoExitOf = nullptr;
      if (R->Use.K == ChannelUse::Drain) {
        NoExitOf = From;
      } else if (const Stmt *Loop = enclosingLoop(From, L.Body)) {
        const Stmt *Child = From;
        for (const Stmt *P = parent(Child); P && P != Loop; P = parent(P))
          Child = P;
        if (Child != leaklib::loopBody(Loop))
          NoExitOf = Loop; // `while (ch.pop(v) == success)`
      }
      const Stmt *Leave = nullptr;
      if (!leaklib::reachesScopeEndWithout(*CFG, From, L.V, ClosesOrEscapes,
                                               NoExitOf, &Leave))
        continue;
      Finding Fd;
      Fd.K = Finding::Producer;
      Fd.Channel = L.V;
      Fd.ProducerLoop = ProducerLoop;
      Fd.StopPoint = Leave ? Leave : From;
      Findings.push_back(std::move(Fd));
      return true;
    }
    return false;
  }

  // Form 1: fan-out, read fewer.
  if (!Countable || SenderCloses)
    return false;
  std::optional<uint64_t> Cap = M.capacityOf(F, L.V->getInit(), Ctx);
  if (!Cap)
    return false;
  leaklib::CountResult R =
      leaklib::countChannelTraffic(L.Body, Ctx, [&](const Stmt *S) {
        ChannelEvent E;
        auto SIt = StartCounts.find(S);
        if (SIt != StartCounts.end()) {
          E.K = ChannelEvent::Start;
          E.Count = SIt->second.first;
          E.Senders = SIt->second.second;
          return E;
        }
        auto OIt = DirectOps.find(S);
        if (OIt != DirectOps.end())
          E.K = OIt->second;
        return E;
      });
  if (R.GaveUp)
    return false;
  const leaklib::CountedExit *Worst = nullptr;
  uint64_t WorstSurplus = 0;
  for (const leaklib::CountedExit &E : R.Exits) {
    if (E.Closed || E.Sent >= leaklib::InfiniteCount ||
        E.Received >= leaklib::InfiniteCount)
      continue;
    uint64_t Room = E.Received + *Cap;
    if (E.Sent > Room && E.Sent - Room > WorstSurplus) {
      WorstSurplus = E.Sent - Room;
      Worst = &E;
    }
  }
  if (!Worst)
    return false;

  // Closed on every path (the lifetime engine, close as the release)?
  CFG = cfgFor(L.Scope, L.Body);
  if (CFG) {
    const Stmt *Acquire = nullptr;
    for (const Stmt *Cand :
         {static_cast<const Stmt *>(L.V->getInit()),
          L.V->getInit()
              ? static_cast<const Stmt *>(L.V->getInit()->IgnoreImplicit())
              : nullptr,
          static_cast<const Stmt *>(CFG->parents().getParent(L.V->getInit()))})
      if (Cand && CFG->locate(Cand)) {
        Acquire = Cand;
        break;
      }
    if (Acquire) {
      leaklib::LifetimeQuery Q;
      Q.Acquire = Acquire;
      Q.Holder = L.V;
      Q.ReportReacquire = false;
      CloseModel CM(Closes, L.V, CFG->parents());
      if (leaklib::analyzeLifetime(*CFG, Q, CM) ==
          leaklib::LifetimeResult::Released)
        return false;
    }
  }

  Finding Fd;
  Fd.K = Finding::FanOut;
  Fd.Channel = L.V;
  Fd.Senders = Worst->Senders;
  Fd.Values = Worst->Sent;
  Fd.Received = Worst->Received;
  Fd.Capacity = *Cap;
  Fd.Exit = Worst->At;
  if (!Worst->At)
    if (const auto *CS = dyn_cast<CompoundStmt>(L.Body))
      Fd.ExitLoc = CS->getRBracLoc();
  Fd.StartNotes = Worst->Starts;
  Findings.push_back(std::move(Fd));
  return true;
}

void Analysis::neverRead(const llvm::DenseSet<const ValueDecl *> &Reported) {
  // Aliases (references, parameters the channel is passed to) form groups.
  llvm::EquivalenceClasses<const ValueDecl *> Groups;
  for (auto &[D, H] : C.Handles) {
    Groups.insert(D);
    for (const RefInfo &R : H.Refs)
      if (R.Use.K == ChannelUse::Alias && R.Use.AliasOf &&
          C.Handles.count(R.Use.AliasOf))
        Groups.unionSets(D, R.Use.AliasOf);
  }
  struct GroupFacts {
    const Expr *FirstSend = nullptr;
    bool Read = false, Escaped = false, BlockingSend = false;
    bool PassedOut = false; // to a function outside the file
    /// Lambdas (other threads, fibers, tasks) that send to it.
    llvm::SmallPtrSet<const LambdaExpr *, 4> SendingLambdas;
    std::vector<const ValueDecl *> Owners;
    const ValueDecl *UnwaitedFuture = nullptr;
    bool FutureObtained = false;
  };
  llvm::DenseMap<const ValueDecl *, GroupFacts> Facts;
  const SourceManager &SM = Ctx.getSourceManager();
  llvm::DenseMap<const VarDecl *, const LambdaExpr *> DeclaredIn;
  for (const LocalChannel &L : C.Locals)
    DeclaredIn[L.V] = L.Lambda;
  for (auto &[D, H] : C.Handles) {
    GroupFacts &G = Facts[Groups.getLeaderValue(D)];
    // Who owns the channel: a variable or field holding it, not a
    // reference or parameter to someone else's.
    bool Owner = false;
    if (const auto *VD = dyn_cast<VarDecl>(D)) {
      if (!isa<ParmVarDecl>(VD) && !VD->getType()->isReferenceType()) {
        bool FileVisible = SM.isInMainFile(VD->getLocation());
        if (VD->hasLocalStorage() ||
            (FileVisible && (!VD->isExternallyVisible() || ReportEscaping)))
          Owner = true;
        else
          G.Escaped = true; // a global others may read
      }
    } else if (const auto *FD = dyn_cast<FieldDecl>(D)) {
      if (SM.isInMainFile(FD->getParent()->getLocation()))
        Owner = true;
      else
        G.Escaped = true; // other translation units may read it
    }
    // A pointer or smart pointer owns only a channel it is given new.
    if (Owner && !ChannelModel::isByValue(D->getType()) &&
        !C.Created.count(D)) {
      Owner = false;
      G.Escaped = true; // a handle to a channel made elsewhere
    }
    if (Owner)
      G.Owners.push_back(D);
    for (const RefInfo &R : H.Refs) {
      switch (R.Use.K) {
      case ChannelUse::Operation:
        if (R.Use.Op == ChannelOp::Send || R.Use.Op == ChannelOp::TrySend) {
          G.BlockingSend |= R.Use.Op == ChannelOp::Send;
          G.SendingLambdas.insert(R.Lambda);
          if (!G.FirstSend ||
              SM.isBeforeInTranslationUnit(R.Ref->getBeginLoc(),
                                           G.FirstSend->getBeginLoc()))
            G.FirstSend = R.Ref;
        } else if (R.Use.Op == ChannelOp::Receive ||
                   R.Use.Op == ChannelOp::TryReceive) {
          G.Read = true;
          if (H.F->Capacity == CapacityKind::Promise)
            G.FutureObtained = true;
        }
        break;
      case ChannelUse::Drain:
        G.Read = true;
        break;
      case ChannelUse::FutureInto: {
        G.FutureObtained = true;
        bool Consumed = false;
        auto FIt = C.FutureRefs.find(R.Use.AliasOf);
        if (FIt != C.FutureRefs.end())
          for (const Expr *FR : FIt->second)
            Consumed = Consumed || M.futureRefConsumes(FR, Ctx);
        if (Consumed)
          G.Read = true;
        else if (!G.UnwaitedFuture)
          G.UnwaitedFuture = R.Use.AliasOf;
        break;
      }
      case ChannelUse::FutureDiscarded:
        G.FutureObtained = true;
        break;
      case ChannelUse::Escape:
        G.Escaped = true;
        break;
      case ChannelUse::ExternalEscape:
        G.PassedOut = true;
        if (!ReportEscaping)
          G.Escaped = true;
        break;
      case ChannelUse::Alias:
        if (!R.Use.AliasOf || !C.Handles.count(R.Use.AliasOf))
          G.Escaped = true; // bound to something we do not follow
        break;
      default:
        break;
      }
    }
  }
  for (auto &[Leader, G] : Facts) {
    if (G.Read || G.Escaped || !G.FirstSend || G.Owners.size() != 1)
      continue;
    const ValueDecl *Owner = G.Owners.front();
    if (Reported.count(Owner))
      continue;
    // A local channel written only by its own function, never read: a dead
    // store destroyed with the function, not a leak. Someone else must send:
    // a lambda run as another thread, fiber or task.
    if (const auto *VD = dyn_cast<VarDecl>(Owner))
      if (VD->hasLocalStorage() && !G.PassedOut) {
        const LambdaExpr *Home = DeclaredIn.lookup(VD);
        bool OtherSender = false;
        for (const LambdaExpr *L : G.SendingLambdas)
          OtherSender |= L != Home;
        if (!OtherSender)
          continue;
      }
    const ChannelFamily *F = C.Handles.lookup(Owner).F;
    Finding Fd;
    Fd.K = F && F->Capacity == CapacityKind::Promise ? Finding::PromiseNeverRead
                                                     : Finding::NeverRead;
    Fd.Channel = Owner;
    Fd.FirstSend = G.FirstSend;
    Fd.Future = G.UnwaitedFuture;
    Fd.FutureObtained = G.FutureObtained;
    Fd.BlockingSend = G.BlockingSend;
    Findings.push_back(std::move(Fd));
  }
}

} // namespace

void ChannelWithoutReaderCheck::check(const MatchFinder::MatchResult &Result) {
  if (!Result.Nodes.getNodeAs<TranslationUnitDecl>("tu") ||
      Model->families().empty())
    return;
  ASTContext &Ctx = *Result.Context;
  const SourceManager &SM = Ctx.getSourceManager();
  Analysis A(Ctx, *Model, StartFunctions, ReportEscapingChannels);
  A.run();

  for (const Analysis::Finding &Fd : A.Findings) {
    const ValueDecl *Ch = Fd.Channel;
    const ChannelFamily *ChFamily = Model->familyOfHandleType(Ch->getType());
    switch (Fd.K) {
    case Analysis::Finding::FanOut: {
      uint64_t Blocked = Fd.Values - Fd.Received - Fd.Capacity;
      bool OnePerSender = Fd.Values == Fd.Senders;
      diag(Ch->getLocation(),
           "%0 %plural{1:sender sends|:senders send}0 %1 "
           "%plural{1:value|:values}1 to channel %2 but only %3 "
           "%plural{1:is|:are}3 received before returning and it buffers %4: "
           "%5 %select{sends never complete|%plural{1:sender blocks|:senders "
           "block}5 forever}6")
          << static_cast<unsigned>(Fd.Senders)
          << static_cast<unsigned>(Fd.Values) << Ch
          << static_cast<unsigned>(Fd.Received)
          << static_cast<unsigned>(Fd.Capacity)
          << static_cast<unsigned>(Blocked) << OnePerSender;
      unsigned Shown = 0;
      for (const auto &[Start, N] : Fd.StartNotes)
        if (Shown++ < 4)
          diag(SM.getExpansionLoc(Start->getBeginLoc()),
               "%0 %plural{1:sender|:senders}0 started here",
               DiagnosticIDs::Note)
              << static_cast<unsigned>(N);
      SourceLocation ExitLoc =
          SM.getExpansionLoc(Fd.Exit ? Fd.Exit->getBeginLoc() : Fd.ExitLoc);
      if (ExitLoc.isValid())
        diag(ExitLoc,
             "%select{the function ends|returns}0 here after receiving %1 "
             "%plural{1:value|:values}1",
             DiagnosticIDs::Note)
            << (Fd.Exit != nullptr) << static_cast<unsigned>(Fd.Received);
      diag(Ch->getLocation(),
           "close %0 before returning so that the blocked senders fail "
           "instead of waiting, or let it buffer all %1 values",
           DiagnosticIDs::Note)
          << Ch << static_cast<unsigned>(Fd.Values);
      break;
    }
    case Analysis::Finding::Producer:
      if (Fd.Returned) {
        diag(Ch->getLocation(),
             "the producer sends to channel %0 forever and ignores the send "
             "status: no reader can stop it (it blocks when the reader stops "
             "and spins once the channel is closed)")
            << Ch;
        diag(SM.getExpansionLoc(Fd.ProducerLoop->getBeginLoc()),
             "the producer's loop has no stop condition", DiagnosticIDs::Note);
        diag(SM.getExpansionLoc(Fd.StopPoint->getBeginLoc()),
             "%0 is returned to a reader here", DiagnosticIDs::Note)
            << Ch;
        diag(Ch->getLocation(),
             "let the producer return when its send reports that %0 is "
             "closed, or check a stop token",
             DiagnosticIDs::Note)
            << Ch;
        break;
      }
      diag(Ch->getLocation(),
           "the producer sends to channel %0 without end but the reader can "
           "stop early without closing it: the producer then blocks forever")
          << Ch;
      diag(SM.getExpansionLoc(Fd.ProducerLoop->getBeginLoc()),
           "the producer's loop has no stop condition", DiagnosticIDs::Note);
      diag(SM.getExpansionLoc(Fd.StopPoint->getBeginLoc()),
           "the reader can stop here and %0 is not closed afterwards",
           DiagnosticIDs::Note)
          << Ch;
      diag(Ch->getLocation(),
           "close %0 on that path so that the producer's send fails, or let "
           "the producer's loop check a stop flag",
           DiagnosticIDs::Note)
          << Ch;
      break;
    case Analysis::Finding::NeverRead: {
      unsigned Outcome = 0; // senders block once it is full
      if (ChFamily && ChFamily->Capacity == CapacityKind::Unbounded)
        Outcome = 1;
      else if (!Fd.BlockingSend)
        Outcome = 2;
      diag(Ch->getLocation(),
           "%0 is sent to but never received from in this translation unit: "
           "%select{once it is full every sender blocks forever|the values "
           "pile up until it is destroyed|the values it holds are never "
           "used}1")
          << Ch << Outcome;
      diag(SM.getExpansionLoc(Fd.FirstSend->getBeginLoc()), "sent here",
           DiagnosticIDs::Note);
      diag(Ch->getLocation(), "receive from %0 or stop sending to it",
           DiagnosticIDs::Note)
          << Ch;
      break;
    }
    case Analysis::Finding::PromiseNeverRead:
      diag(Ch->getLocation(),
           "the value set on promise %0 is never read: %select{its future is "
           "never obtained|its future is never waited on}1")
          << Ch << Fd.FutureObtained;
      diag(SM.getExpansionLoc(Fd.FirstSend->getBeginLoc()),
           "the value is set here", DiagnosticIDs::Note);
      if (Fd.Future)
        diag(Fd.Future->getLocation(), "the future is obtained here",
             DiagnosticIDs::Note);
      diag(Ch->getLocation(),
           "wait on the future (get, wait) or drop the promise",
           DiagnosticIDs::Note);
      break;
    }
  }
}

} // namespace clang::tidy::leak
