//===--- ChannelModel.cpp - leak-tidy ------------------------------------===//
#include "lib/channel/ChannelModel.h"
#include "lib/core/ParentIndex.h"
#include "lib/core/VarUses.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/AST/Type.h"
#include "clang/Basic/SourceManager.h"

namespace clang {
namespace leaklib {

// Boost 1.74 has no Asio experimental channels; standalone Asio 1.22 and
// newer Boost do (boost::asio::experimental). Boost.Fiber's old
// unbounded_channel was removed in Boost 1.64.
const char *ChannelDefaults::Types =
    "boost::fibers::buffered_channel;boost::fibers::unbuffered_channel;"
    "asio::experimental::basic_channel;"
    "asio::experimental::basic_concurrent_channel;"
    "boost::asio::experimental::basic_channel;"
    "boost::asio::experimental::basic_concurrent_channel;"
    "boost::concurrent::sync_queue;boost::concurrent::sync_bounded_queue;"
    "GAsyncQueue;std::promise";

const char *ChannelDefaults::Send =
    "boost::fibers::buffered_channel::push;"
    "boost::fibers::unbuffered_channel::push;"
    "asio::experimental::basic_channel::async_send;"
    "asio::experimental::basic_concurrent_channel::async_send;"
    "boost::asio::experimental::basic_channel::async_send;"
    "boost::asio::experimental::basic_concurrent_channel::async_send;"
    "boost::concurrent::sync_queue::push;"
    "boost::concurrent::sync_queue::wait_push;"
    "boost::concurrent::sync_bounded_queue::push;"
    "boost::concurrent::sync_bounded_queue::push_back;"
    "boost::concurrent::sync_bounded_queue::wait_push_back;"
    "g_async_queue_push;g_async_queue_push_unlocked;"
    "g_async_queue_push_sorted;g_async_queue_push_sorted_unlocked;"
    "g_async_queue_push_front;g_async_queue_push_front_unlocked;"
    "std::promise::set_value;std::promise::set_exception;"
    "std::promise::set_value_at_thread_exit;"
    "std::promise::set_exception_at_thread_exit";

const char *ChannelDefaults::TrySend =
    "boost::fibers::buffered_channel::try_push;"
    "boost::fibers::buffered_channel::push_wait_for;"
    "boost::fibers::buffered_channel::push_wait_until;"
    "boost::fibers::unbuffered_channel::push_wait_for;"
    "boost::fibers::unbuffered_channel::push_wait_until;"
    "asio::experimental::basic_channel::try_send;"
    "asio::experimental::basic_channel::try_send_n;"
    "asio::experimental::basic_concurrent_channel::try_send;"
    "asio::experimental::basic_concurrent_channel::try_send_n;"
    "boost::asio::experimental::basic_channel::try_send;"
    "boost::asio::experimental::basic_channel::try_send_n;"
    "boost::asio::experimental::basic_concurrent_channel::try_send;"
    "boost::asio::experimental::basic_concurrent_channel::try_send_n;"
    "boost::concurrent::sync_queue::try_push;"
    "boost::concurrent::sync_queue::nonblocking_push;"
    "boost::concurrent::sync_bounded_queue::try_push;"
    "boost::concurrent::sync_bounded_queue::try_push_back;"
    "boost::concurrent::sync_bounded_queue::nonblocking_push_back";

const char *ChannelDefaults::Receive =
    "boost::fibers::buffered_channel::pop;"
    "boost::fibers::buffered_channel::value_pop;"
    "boost::fibers::unbuffered_channel::pop;"
    "boost::fibers::unbuffered_channel::value_pop;"
    "asio::experimental::basic_channel::async_receive;"
    "asio::experimental::basic_concurrent_channel::async_receive;"
    "boost::asio::experimental::basic_channel::async_receive;"
    "boost::asio::experimental::basic_concurrent_channel::async_receive;"
    "boost::concurrent::sync_queue::pull;"
    "boost::concurrent::sync_queue::wait_pull;"
    "boost::concurrent::sync_bounded_queue::pull;"
    "boost::concurrent::sync_bounded_queue::pull_front;"
    "boost::concurrent::sync_bounded_queue::wait_pull_front;"
    "g_async_queue_pop;g_async_queue_pop_unlocked;"
    "std::promise::get_future";

const char *ChannelDefaults::TryReceive =
    "boost::fibers::buffered_channel::try_pop;"
    "boost::fibers::buffered_channel::pop_wait_for;"
    "boost::fibers::buffered_channel::pop_wait_until;"
    "boost::fibers::unbuffered_channel::pop_wait_for;"
    "boost::fibers::unbuffered_channel::pop_wait_until;"
    "asio::experimental::basic_channel::try_receive;"
    "asio::experimental::basic_concurrent_channel::try_receive;"
    "boost::asio::experimental::basic_channel::try_receive;"
    "boost::asio::experimental::basic_concurrent_channel::try_receive;"
    "boost::concurrent::sync_queue::try_pull;"
    "boost::concurrent::sync_queue::nonblocking_pull;"
    "boost::concurrent::sync_bounded_queue::try_pull;"
    "boost::concurrent::sync_bounded_queue::try_pull_front;"
    "boost::concurrent::sync_bounded_queue::nonblocking_pull_front;"
    "g_async_queue_try_pop;g_async_queue_try_pop_unlocked;"
    "g_async_queue_timeout_pop;g_async_queue_timeout_pop_unlocked;"
    "g_async_queue_timed_pop;g_async_queue_timed_pop_unlocked";

const char *ChannelDefaults::Close =
    "boost::fibers::buffered_channel::close;"
    "boost::fibers::unbuffered_channel::close;"
    "asio::experimental::basic_channel::close;"
    "asio::experimental::basic_channel::cancel;"
    "asio::experimental::basic_concurrent_channel::close;"
    "asio::experimental::basic_concurrent_channel::cancel;"
    "boost::asio::experimental::basic_channel::close;"
    "boost::asio::experimental::basic_channel::cancel;"
    "boost::asio::experimental::basic_concurrent_channel::close;"
    "boost::asio::experimental::basic_concurrent_channel::cancel;"
    "boost::concurrent::sync_queue::close;"
    "boost::concurrent::sync_bounded_queue::close";

// Free functions taking the channel that neither send, receive nor hand it
// on (member functions we do not know are of this kind already).
const char *ChannelDefaults::Other =
    "g_async_queue_unref;g_async_queue_length;g_async_queue_length_unlocked;"
    "g_async_queue_lock;g_async_queue_unlock;g_async_queue_unref_and_unlock";

const char *ChannelDefaults::CapacitySemantics =
    "boost::fibers::buffered_channel=arg-minus-one;"
    "boost::fibers::unbuffered_channel=unbuffered;"
    "asio::experimental::basic_channel=arg;"
    "asio::experimental::basic_concurrent_channel=arg;"
    "boost::asio::experimental::basic_channel=arg;"
    "boost::asio::experimental::basic_concurrent_channel=arg;"
    "boost::concurrent::sync_queue=unbounded;"
    "boost::concurrent::sync_bounded_queue=arg;"
    "GAsyncQueue=unbounded;std::promise=promise";

const char *ChannelDefaults::FutureWaits =
    "std::future::get;std::future::wait;std::future::wait_for;"
    "std::future::wait_until;std::future::share;std::shared_future::get;"
    "std::shared_future::wait;std::shared_future::wait_for;"
    "std::shared_future::wait_until";

std::optional<CapacityKind> parseCapacityKind(llvm::StringRef S) {
  S = S.trim();
  if (S == "unbounded")
    return CapacityKind::Unbounded;
  if (S == "unbuffered")
    return CapacityKind::Unbuffered;
  if (S == "arg")
    return CapacityKind::Arg;
  if (S == "arg-minus-one")
    return CapacityKind::ArgMinusOne;
  if (S == "promise")
    return CapacityKind::Promise;
  return std::nullopt;
}

llvm::StringRef capacityKindName(CapacityKind K) {
  switch (K) {
  case CapacityKind::Unbounded:
    return "unbounded";
  case CapacityKind::Unbuffered:
    return "unbuffered";
  case CapacityKind::Arg:
    return "arg";
  case CapacityKind::ArgMinusOne:
    return "arg-minus-one";
  case CapacityKind::Promise:
    return "promise";
  }
  return "arg";
}

static llvm::StringRef normalize(llvm::StringRef Name) {
  Name = Name.trim();
  if (Name.starts_with("::"))
    Name = Name.drop_front(2);
  return Name;
}

ChannelModel::ChannelModel(const ChannelConfig &C,
                           std::vector<std::string> *Errors) {
  for (const std::string &T : C.Types) {
    llvm::StringRef N = normalize(T);
    if (ByName.count(N))
      continue;
    ChannelFamily F;
    F.TypeName = N.str();
    ByName[N] = Families.size();
    Families.push_back(std::move(F));
  }
  for (const std::string &Entry : C.CapacitySemantics) {
    auto [Name, Kind] = llvm::StringRef(Entry).split('=');
    std::optional<CapacityKind> K = parseCapacityKind(Kind);
    auto It = ByName.find(normalize(Name));
    if (!K) {
      if (Errors)
        Errors->push_back("'" + Entry +
                          "' is not 'Type=kind' with kind one of unbounded, "
                          "unbuffered, arg, arg-minus-one, promise");
      continue;
    }
    if (It == ByName.end()) {
      if (Errors)
        Errors->push_back("'" + normalize(Name).str() +
                          "' is not one of the ChannelTypes");
      continue;
    }
    Families[It->second].Capacity = *K;
  }
  auto AddOps = [&](const std::vector<std::string> &Names, ChannelOp Op) {
    for (const std::string &Q : Names) {
      llvm::StringRef N = normalize(Q);
      size_t Sep = N.rfind("::");
      if (Sep == llvm::StringRef::npos) {
        FreeFunctions[N] = Op;
        continue;
      }
      llvm::StringRef Type = N.take_front(Sep), Member = N.drop_front(Sep + 2);
      auto It = ByName.find(Type);
      if (It == ByName.end()) {
        // A namespace-qualified free function (my::send): free function.
        FreeFunctions[Member] = Op;
        continue;
      }
      Families[It->second].Members[Member] = Op;
    }
  };
  AddOps(C.Send, ChannelOp::Send);
  AddOps(C.TrySend, ChannelOp::TrySend);
  AddOps(C.Receive, ChannelOp::Receive);
  AddOps(C.TryReceive, ChannelOp::TryReceive);
  AddOps(C.Close, ChannelOp::Close);
  AddOps(C.Other, ChannelOp::Other);
  for (const std::string &Q : C.FutureWaits) {
    llvm::StringRef N = normalize(Q);
    size_t Sep = N.rfind("::");
    if (Sep == llvm::StringRef::npos) {
      if (Errors)
        Errors->push_back("'" + Q + "' is not 'FutureType::member'");
      continue;
    }
    FutureTypes.add(N.take_front(Sep));
    FutureWaitNames.insert(N);
  }
}

const ChannelFamily *ChannelModel::familyOfDecl(const NamedDecl *D) const {
  if (!D || Families.empty())
    return nullptr;
  if (const IdentifierInfo *II = D->getIdentifier()) {
    // Cheap gate on the last component before building the qualified name.
    bool Maybe = false;
    for (const ChannelFamily &F : Families) {
      llvm::StringRef N = F.TypeName;
      size_t Sep = N.rfind("::");
      if ((Sep == llvm::StringRef::npos ? N : N.drop_front(Sep + 2)) ==
          II->getName()) {
        Maybe = true;
        break;
      }
    }
    if (!Maybe)
      return nullptr;
  } else {
    return nullptr;
  }
  auto It = ByName.find(normalize(qualifiedName(D)));
  return It == ByName.end() ? nullptr : &Families[It->second];
}

const ChannelFamily *ChannelModel::familyOfObjectType(QualType T) const {
  if (T.isNull())
    return nullptr;
  const Type *Canon =
      T->isDependentType() ? nullptr : T.getCanonicalType().getTypePtr();
  if (Canon) {
    auto It = TypeCache.find(Canon);
    if (It != TypeCache.end())
      return It->second < 0 ? nullptr : &Families[It->second];
  }
  const ChannelFamily *Found = nullptr;
  QualType Cur = T;
  for (int Guard = 0; Guard < 16 && !Cur.isNull() && !Found; ++Guard) {
    const Type *Ty = Cur.getTypePtr();
    if (const auto *TT = dyn_cast<TypedefType>(Ty))
      Found = familyOfDecl(TT->getDecl());
    else if (const auto *TST = dyn_cast<TemplateSpecializationType>(Ty))
      Found = familyOfDecl(TST->getTemplateName().getAsTemplateDecl());
    else if (const auto *ICN = dyn_cast<InjectedClassNameType>(Ty))
      Found = familyOfDecl(ICN->getDecl());
    else if (const auto *RT = dyn_cast<RecordType>(Ty))
      Found = familyOfDecl(RT->getDecl());
    if (Found)
      break;
    QualType Next = Cur->getLocallyUnqualifiedSingleStepDesugaredType();
    if (Next == Cur)
      break;
    Cur = Next;
  }
  if (Canon)
    TypeCache[Canon] = Found ? static_cast<int>(Found - Families.data()) : -1;
  return Found;
}

/// The pointee of std::shared_ptr / std::unique_ptr / boost::shared_ptr.
static QualType smartPointee(QualType T) {
  const Type *Ty = T.getTypePtrOrNull();
  if (!Ty)
    return {};
  auto IsSmart = [](const NamedDecl *D) {
    if (!D)
      return false;
    std::string N = qualifiedName(D);
    return N == "std::shared_ptr" || N == "std::unique_ptr" ||
           N == "boost::shared_ptr";
  };
  if (const auto *TST = Ty->getAs<TemplateSpecializationType>()) {
    if (IsSmart(TST->getTemplateName().getAsTemplateDecl()) &&
        !TST->template_arguments().empty() &&
        TST->template_arguments()[0].getKind() == TemplateArgument::Type)
      return TST->template_arguments()[0].getAsType();
  }
  if (const auto *CTS = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
          Ty->getAsCXXRecordDecl()))
    if (IsSmart(CTS) && CTS->getTemplateArgs().size() > 0 &&
        CTS->getTemplateArgs()[0].getKind() == TemplateArgument::Type)
      return CTS->getTemplateArgs()[0].getAsType();
  return {};
}

const ChannelFamily *ChannelModel::familyOfHandleType(QualType T) const {
  if (T.isNull())
    return nullptr;
  T = T.getNonReferenceType();
  if (const ChannelFamily *F = familyOfObjectType(T))
    return F;
  if (T->isPointerType())
    return familyOfObjectType(T->getPointeeType());
  QualType P = smartPointee(T);
  if (!P.isNull())
    return familyOfObjectType(P);
  return nullptr;
}

bool ChannelModel::isByValue(QualType T) {
  if (T.isNull())
    return false;
  return !T->isReferenceType() && !T->isPointerType() &&
         smartPointee(T).isNull();
}

ChannelOp ChannelModel::classifyMember(const ChannelFamily &F,
                                       llvm::StringRef Member) const {
  auto It = F.Members.find(Member);
  return It == F.Members.end() ? ChannelOp::None : It->second;
}

ChannelOp ChannelModel::classifyFree(llvm::StringRef Function) const {
  auto It = FreeFunctions.find(Function);
  return It == FreeFunctions.end() ? ChannelOp::None : It->second;
}

bool ChannelModel::isFutureType(const NamedDecl *D) const {
  return D && FutureTypes.matches(D);
}

bool ChannelModel::isFutureWait(llvm::StringRef QualifiedTypeName,
                                llvm::StringRef Member) const {
  return FutureWaitNames.count(
      (normalize(QualifiedTypeName) + "::" + Member).str());
}

/// The arguments of the construction in \p Init: a constructor call, a
/// make_shared/make_unique call, a new-expression.
static llvm::SmallVector<const Expr *, 4>
constructionArgs(const Expr *Init, bool &Found, const CXXRecordDecl *&Made) {
  llvm::SmallVector<const Expr *, 4> Args;
  Found = false;
  const Expr *E = Init;
  for (int Guard = 0; E && Guard < 16; ++Guard) {
    E = E->IgnoreParenImpCasts();
    if (const auto *EWC = dyn_cast<ExprWithCleanups>(E)) {
      E = EWC->getSubExpr();
      continue;
    }
    if (const auto *MTE = dyn_cast<MaterializeTemporaryExpr>(E)) {
      E = MTE->getSubExpr();
      continue;
    }
    if (const auto *BTE = dyn_cast<CXXBindTemporaryExpr>(E)) {
      E = BTE->getSubExpr();
      continue;
    }
    if (const auto *FC = dyn_cast<CXXFunctionalCastExpr>(E)) {
      E = FC->getSubExpr();
      continue;
    }
    if (const auto *CCE = dyn_cast<CXXConstructExpr>(E)) {
      // A copy/move from a temporary: look into the temporary.
      if (CCE->getNumArgs() == 1 &&
          CCE->getConstructor()->isCopyOrMoveConstructor()) {
        E = CCE->getArg(0);
        continue;
      }
      // smart pointer from new: unique_ptr<C>(new C(4))
      if (CCE->getNumArgs() >= 1)
        if (const auto *New =
                dyn_cast<CXXNewExpr>(CCE->getArg(0)->IgnoreParenImpCasts())) {
          E = New;
          continue;
        }
      Found = true;
      for (const Expr *A : CCE->arguments())
        Args.push_back(A);
      return Args;
    }
    if (const auto *New = dyn_cast<CXXNewExpr>(E)) {
      E = New->getInitializer();
      if (!E) {
        Found = true;
        return Args;
      }
      continue;
    }
    if (const auto *PLE = dyn_cast<ParenListExpr>(E)) {
      Found = true;
      for (const Expr *A : const_cast<ParenListExpr *>(PLE)->exprs())
        Args.push_back(A);
      return Args;
    }
    if (const auto *CE = dyn_cast<CallExpr>(E)) {
      if (const FunctionDecl *FD = CE->getDirectCallee()) {
        std::string N = qualifiedName(FD);
        if (N == "std::make_shared" || N == "std::make_unique" ||
            N == "boost::make_shared") {
          Found = true;
          if (const TemplateArgumentList *TA =
                  FD->getTemplateSpecializationArgs())
            if (TA->size() > 0 &&
                TA->get(0).getKind() == TemplateArgument::Type)
              Made = TA->get(0).getAsType()->getAsCXXRecordDecl();
          for (const Expr *A : CE->arguments())
            Args.push_back(A);
          return Args;
        }
      }
      return Args;
    }
    if (const auto *ILE = dyn_cast<InitListExpr>(E)) {
      Found = true;
      for (const Expr *A : ILE->inits())
        Args.push_back(A);
      return Args;
    }
    return Args;
  }
  return Args;
}

std::optional<uint64_t> ChannelModel::capacityOf(const ChannelFamily &F,
                                                 const Expr *Init,
                                                 ASTContext &Ctx) const {
  switch (F.Capacity) {
  case CapacityKind::Unbounded:
  case CapacityKind::Promise:
    return std::nullopt;
  case CapacityKind::Unbuffered:
    return 0;
  case CapacityKind::Arg:
  case CapacityKind::ArgMinusOne:
    break;
  }
  if (!Init)
    return std::nullopt;
  bool Found = false;
  const CXXRecordDecl *Made = nullptr;
  llvm::SmallVector<const Expr *, 4> Args = constructionArgs(Init, Found, Made);
  if (!Found)
    return std::nullopt;
  auto Adjust = [&](uint64_t N) -> uint64_t {
    if (F.Capacity == CapacityKind::ArgMinusOne)
      return N == 0 ? 0 : N - 1;
    return N;
  };
  for (const Expr *A : Args) {
    if (const auto *DA = dyn_cast<CXXDefaultArgExpr>(A))
      A = DA->getExpr();
    if (!A || A->isValueDependent() || A->isTypeDependent())
      return std::nullopt;
    QualType T = A->IgnoreParenImpCasts()->getType();
    if (!T->isIntegralOrEnumerationType() || T->isBooleanType())
      continue;
    Expr::EvalResult R;
    if (!A->EvaluateAsInt(R, Ctx))
      return std::nullopt;
    llvm::APSInt V = R.Val.getInt();
    if (V.isNegative())
      return std::nullopt;
    return Adjust(V.getZExtValue());
  }
  // make_shared<C>(ex): the capacity is a defaulted constructor parameter
  // (asio's channels: max_buffer_size = 0). Every constructor that takes
  // more parameters than were passed must agree on it.
  if (!Made || !Made->hasDefinition())
    return std::nullopt;
  std::optional<uint64_t> Default;
  for (const CXXConstructorDecl *Ctor : Made->ctors()) {
    if (Ctor->isCopyOrMoveConstructor() || Ctor->getNumParams() <= Args.size())
      continue;
    const ParmVarDecl *P = Ctor->getParamDecl(Args.size());
    if (!P->getType()->isIntegralOrEnumerationType() || !P->hasDefaultArg() ||
        P->hasUninstantiatedDefaultArg() || P->hasUnparsedDefaultArg())
      return std::nullopt;
    Expr::EvalResult R;
    if (!P->getDefaultArg()->EvaluateAsInt(R, Ctx) ||
        R.Val.getInt().isNegative())
      return std::nullopt;
    uint64_t N = R.Val.getInt().getZExtValue();
    if (Default && *Default != N)
      return std::nullopt;
    Default = N;
  }
  if (Default)
    return Adjust(*Default);
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// Classifying references
//===----------------------------------------------------------------------===//

namespace {

/// The parent of \p S: a statement, or (through \p AsDecl) a declaration.
const Stmt *parentOf(const Stmt *S, ASTContext &Ctx,
                     const Decl **AsDecl = nullptr) {
  if (AsDecl)
    *AsDecl = nullptr;
  llvm::ArrayRef<DynTypedNode> Ps = ParentIndex::get(Ctx).parents(*S);
  if (Ps.empty())
    return nullptr;
  if (const Stmt *P = Ps[0].get<Stmt>())
    return P;
  if (AsDecl)
    *AsDecl = Ps[0].get<Decl>();
  return nullptr;
}

/// Nodes that only carry a value on: casts, parens, temporaries.
bool isTransparent(const Stmt *P) {
  if (isa<ImplicitCastExpr>(P) || isa<ParenExpr>(P) ||
      isa<MaterializeTemporaryExpr>(P) || isa<CXXBindTemporaryExpr>(P) ||
      isa<ExprWithCleanups>(P) || isa<CXXNamedCastExpr>(P) ||
      isa<ConstantExpr>(P))
    return true;
  if (const auto *C = dyn_cast<CStyleCastExpr>(P))
    return !C->getType()->isVoidType();
  return false;
}

/// Whether the value of \p Call is looked at (compared, stored, tested).
bool resultUsed(const Stmt *Call, ASTContext &Ctx) {
  const Stmt *Cur = Call;
  for (int Guard = 0; Guard < 16; ++Guard) {
    const Decl *PD = nullptr;
    const Stmt *P = parentOf(Cur, Ctx, &PD);
    if (!P)
      return PD != nullptr; // initializes a variable
    if (isTransparent(P) || isa<CoawaitExpr>(P)) {
      Cur = P; // co_await ch.async_send(..., use_awaitable): look at its use
      continue;
    }
    if (const auto *C = dyn_cast<CStyleCastExpr>(P))
      return !C->getType()->isVoidType();
    if (const auto *If = dyn_cast<IfStmt>(P))
      return If->getCond() == Cur;
    if (const auto *W = dyn_cast<WhileStmt>(P))
      return W->getCond() == Cur;
    if (const auto *D = dyn_cast<DoStmt>(P))
      return D->getCond() == Cur;
    if (const auto *F = dyn_cast<ForStmt>(P))
      return F->getCond() == Cur;
    if (const auto *Sw = dyn_cast<SwitchStmt>(P))
      return Sw->getCond() == Cur;
    if (isa<Expr>(P) || isa<ReturnStmt>(P) || isa<DeclStmt>(P))
      return true;
    return false; // a statement of its own
  }
  return true;
}

llvm::StringRef unresolvedCalleeName(const CallExpr *CE) {
  llvm::StringRef N = calleeName(CE);
  if (!N.empty())
    return N;
  const Expr *Callee = CE->getCallee()->IgnoreParenImpCasts();
  if (const auto *ULE = dyn_cast<UnresolvedLookupExpr>(Callee))
    if (ULE->getName().isIdentifier())
      return ULE->getName().getAsIdentifierInfo()->getName();
  return "";
}

bool isPassThroughCall(const CallExpr *CE) {
  const FunctionDecl *FD = CE->getDirectCallee();
  if (!FD || CE->getNumArgs() != 1)
    return false;
  std::string N = qualifiedName(FD);
  return N == "std::move" || N == "std::forward" || N == "std::ref" ||
         N == "std::cref" || N == "boost::ref" || N == "boost::cref";
}

} // namespace

bool isChannelCreation(const Expr *E) {
  if (!E)
    return false;
  E = E->IgnoreParenImpCasts();
  for (int Guard = 0; Guard < 8; ++Guard) {
    if (const auto *EWC = dyn_cast<ExprWithCleanups>(E))
      E = EWC->getSubExpr()->IgnoreParenImpCasts();
    else if (const auto *MTE = dyn_cast<MaterializeTemporaryExpr>(E))
      E = MTE->getSubExpr()->IgnoreParenImpCasts();
    else if (const auto *BTE = dyn_cast<CXXBindTemporaryExpr>(E))
      E = BTE->getSubExpr()->IgnoreParenImpCasts();
    else if (const auto *CE = dyn_cast<CastExpr>(E))
      E = CE->getSubExpr()->IgnoreParenImpCasts();
    else
      break;
  }
  if (isa<CXXNewExpr>(E))
    return true;
  if (const auto *CE = dyn_cast<CallExpr>(E)) {
    llvm::StringRef N = unresolvedCalleeName(CE);
    return N == "make_shared" || N == "make_unique" ||
           N.starts_with("g_async_queue_new");
  }
  if (const auto *CCE = dyn_cast<CXXConstructExpr>(E))
    for (const Expr *A : CCE->arguments())
      if (isChannelCreation(A))
        return true;
  return false;
}

ChannelUse ChannelModel::classifyRef(const Expr *Ref, const ChannelFamily &F,
                                     ASTContext &Ctx) const {
  ChannelUse U;
  const Stmt *Cur = Ref;
  for (int Guard = 0; Cur && Guard < 32; ++Guard) {
    const Decl *PD = nullptr;
    const Stmt *P = parentOf(Cur, Ctx, &PD);
    if (!P && !PD) {
      // A constructor's member initializer: `Logger(GAsyncQueue *q) : q_(q)`.
      llvm::ArrayRef<DynTypedNode> Ps = ParentIndex::get(Ctx).parents(*Cur);
      if (!Ps.empty())
        if (const auto *Init = Ps[0].get<CXXCtorInitializer>())
          if (FieldDecl *FD = Init->getMember()) {
            U.K = ChannelUse::Alias;
            U.AliasOf = FD;
            return U;
          }
    }
    if (!P) {
      if (const auto *VD = dyn_cast_or_null<VarDecl>(PD)) {
        if (VD->isImplicit() && VD->getName().starts_with("__range")) {
          const Decl *Unused = nullptr;
          const Stmt *DS = nullptr;
          llvm::ArrayRef<DynTypedNode> Ps = ParentIndex::get(Ctx).parents(*VD);
          if (!Ps.empty())
            DS = Ps[0].get<Stmt>();
          const Stmt *For = DS ? parentOf(DS, Ctx, &Unused) : nullptr;
          if (isa_and_nonnull<CXXForRangeStmt>(For)) {
            U.K = ChannelUse::Drain;
            U.Node = For;
            return U;
          }
          return U;
        }
        U.K = ChannelUse::Alias;
        U.AliasOf = VD;
        return U;
      }
      if (PD)
        U.K = ChannelUse::Escape; // a default member initializer, ...
      return U;
    }
    if (isTransparent(P)) {
      Cur = P;
      continue;
    }
    if (const auto *C = dyn_cast<CStyleCastExpr>(P)) {
      (void)C; // (void)ch
      return U;
    }
    if (const auto *UO = dyn_cast<UnaryOperator>(P)) {
      if (UO->getOpcode() == UO_Deref || UO->getOpcode() == UO_AddrOf) {
        Cur = P;
        continue;
      }
      return U;
    }
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(P)) {
      OverloadedOperatorKind O = OC->getOperator();
      bool IsObject = OC->getNumArgs() >= 1 && OC->getArg(0) == Cur;
      if (IsObject && (O == OO_Arrow || O == OO_Star)) {
        Cur = P;
        continue;
      }
      if (OC->isAssignmentOp()) {
        if (!IsObject)
          U.K = ChannelUse::Escape;
        U.Node = OC;
        return U;
      }
      if (O == OO_EqualEqual || O == OO_ExclaimEqual || O == OO_Exclaim)
        return U;
      U.K = ChannelUse::Escape;
      U.Node = OC;
      return U;
    }
    llvm::StringRef Member;
    const Expr *MemberNode = nullptr;
    if (const auto *ME = dyn_cast<MemberExpr>(P)) {
      if (ME->getBase() == Cur && ME->getMemberDecl()->getIdentifier()) {
        Member = ME->getMemberDecl()->getName();
        MemberNode = ME;
      }
    } else if (const auto *DM = dyn_cast<CXXDependentScopeMemberExpr>(P)) {
      if (!DM->isImplicitAccess() && DM->getBase() == Cur &&
          DM->getMember().isIdentifier())
        Member = DM->getMember().getAsIdentifierInfo()->getName();
      MemberNode = DM;
    }
    if (MemberNode) {
      const Stmt *Call = parentOf(MemberNode, Ctx);
      const auto *CE = dyn_cast_or_null<CallExpr>(Call);
      if (!CE || CE->getCallee()->IgnoreParenImpCasts() != MemberNode ||
          Member.empty())
        return U;
      U.Op = classifyMember(F, Member);
      if (U.Op == ChannelOp::None)
        return U;
      U.K = ChannelUse::Operation;
      U.Node = CE;
      U.StatusUsed = resultUsed(CE, Ctx);
      if (F.Capacity == CapacityKind::Promise && U.Op == ChannelOp::Receive) {
        // get_future(): where does the future go?
        const Stmt *C = CE;
        for (int G = 0; G < 16; ++G) {
          const Decl *D = nullptr;
          const Stmt *Q = parentOf(C, Ctx, &D);
          if (!Q) {
            if (const auto *VD = dyn_cast_or_null<VarDecl>(D)) {
              U.K = ChannelUse::FutureInto;
              U.AliasOf = VD;
            }
            return U;
          }
          if (isTransparent(Q)) {
            C = Q;
            continue;
          }
          if (const auto *CCE = dyn_cast<CXXConstructExpr>(Q))
            if (CCE->getNumArgs() == 1) {
              C = Q;
              continue;
            }
          if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Q))
            if (OC->isAssignmentOp() && OC->getNumArgs() == 2 &&
                OC->getArg(1)->IgnoreImplicit() ==
                    cast<Expr>(C)->IgnoreImplicit())
              if (const auto *L = dyn_cast<DeclRefExpr>(
                      OC->getArg(0)->IgnoreParenImpCasts())) {
                U.K = ChannelUse::FutureInto;
                U.AliasOf = L->getDecl();
                return U;
              }
          if (!resultUsed(C, Ctx))
            U.K = ChannelUse::FutureDiscarded;
          return U; // passed on, returned: an Operation (a read)
        }
      }
      return U;
    }
    if (const auto *CE = dyn_cast<CallExpr>(P)) {
      if (CE->getCallee()->IgnoreParenImpCasts() == Cur)
        return U;
      if (isPassThroughCall(CE)) {
        Cur = P;
        continue;
      }
      U.Op = classifyFree(unresolvedCalleeName(CE));
      U.Node = CE;
      if (U.Op != ChannelOp::None) {
        U.K = ChannelUse::Operation;
        U.StatusUsed = resultUsed(CE, Ctx);
        return U;
      }
      const FunctionDecl *FD = CE->getDirectCallee();
      const FunctionDecl *Def = FD ? FD->getDefinition() : nullptr;
      if (Def && Def->hasBody() &&
          !Ctx.getSourceManager().isInSystemHeader(Def->getLocation())) {
        unsigned First = isa<CXXOperatorCallExpr>(CE) ? 1 : 0;
        for (unsigned I = First; I < CE->getNumArgs(); ++I)
          if (CE->getArg(I) == Cur && I - First < Def->getNumParams()) {
            U.K = ChannelUse::Alias;
            U.AliasOf = Def->getParamDecl(I - First);
            return U;
          }
        U.K = ChannelUse::Escape;
        return U;
      }
      U.K = ChannelUse::ExternalEscape;
      return U;
    }
    if (const auto *CCE = dyn_cast<CXXConstructExpr>(P)) {
      if (CCE->getNumArgs() == 1 &&
          CCE->getConstructor()->isCopyOrMoveConstructor()) {
        Cur = P;
        continue;
      }
      U.K = ChannelUse::Escape;
      U.Node = CCE;
      return U;
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(P)) {
      if (BO->isAssignmentOp()) {
        U.Node = BO; // assigned to (LHS) or stored away (RHS)
        if (BO->getRHS() == Cur)
          U.K = ChannelUse::Escape;
      }
      return U;
    }
    if (isa<LambdaExpr>(P))
      return U; // a capture: the uses inside the lambda body tell
    if (const auto *PL = dyn_cast<ParenListExpr>(P))
      if (PL->getNumExprs() == 1) {
        Cur = P; // a dependent copy: T x(ch), or a capture in a template
        continue;
      }
    if (const auto *For = dyn_cast<CXXForRangeStmt>(P)) {
      U.K = ChannelUse::Drain;
      U.Node = For;
      return U;
    }
    if (isa<ReturnStmt>(P) || isa<CoreturnStmt>(P) || isa<InitListExpr>(P) ||
        isa<CXXNewExpr>(P) || isa<CXXParenListInitExpr>(P) ||
        isa<CXXUnresolvedConstructExpr>(P) || isa<ParenListExpr>(P)) {
      U.K = ChannelUse::Escape;
      U.Node = P;
      return U;
    }
    return U;
  }
  return U;
}

bool ChannelModel::futureRefConsumes(const Expr *Ref, ASTContext &Ctx) const {
  const Stmt *Cur = Ref;
  for (int Guard = 0; Cur && Guard < 16; ++Guard) {
    const Decl *PD = nullptr;
    const Stmt *P = parentOf(Cur, Ctx, &PD);
    if (!P)
      return PD != nullptr; // bound to another variable: passed on
    if (isTransparent(P)) {
      Cur = P;
      continue;
    }
    if (const auto *ME = dyn_cast<MemberExpr>(P)) {
      if (ME->getBase() != Cur)
        return false;
      const auto *Method = dyn_cast<CXXMethodDecl>(ME->getMemberDecl());
      if (!Method || !Method->getIdentifier())
        return false;
      return isFutureWait(qualifiedName(Method->getParent()),
                          Method->getName());
    }
    if (const auto *DM = dyn_cast<CXXDependentScopeMemberExpr>(P)) {
      if (!DM->getMember().isIdentifier())
        return false;
      llvm::StringRef M = DM->getMember().getAsIdentifierInfo()->getName();
      return M == "get" || M == "wait" || M == "wait_for" ||
             M == "wait_until" || M == "share";
    }
    if (isa<CompoundStmt>(P) || isa<CStyleCastExpr>(P))
      return false;
    if (const auto *UO = dyn_cast<UnaryOperator>(P))
      return UO->getOpcode() == UO_AddrOf;
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(P))
      if (OC->isAssignmentOp() && OC->getArg(0) == Cur)
        return false; // overwritten
    return true;      // passed, moved, returned, stored: someone else's now
  }
  return true;
}

} // namespace leaklib
} // namespace clang
