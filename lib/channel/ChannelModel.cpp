//===--- ChannelModel.cpp - leak-tidy ------------------------------------===//
#include "lib/channel/ChannelModel.h"
#include "lib/core/AstHelpers.h"
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

const char *ChannelDefaults::StartFunctions =
    "std::thread;std::jthread;boost::thread;boost::fibers::fiber;std::async;"
    "boost::fibers::async;boost::async;asio::post;asio::dispatch;asio::defer;"
    "asio::co_spawn;boost::asio::post;boost::asio::dispatch;boost::asio::defer;"
    "boost::asio::co_spawn";

ChannelConfig ChannelConfig::defaults() {
  using D = ChannelDefaults;
  ChannelConfig C;
  C.Types = splitList(D::Types);
  C.Send = splitList(D::Send);
  C.TrySend = splitList(D::TrySend);
  C.Receive = splitList(D::Receive);
  C.TryReceive = splitList(D::TryReceive);
  C.Close = splitList(D::Close);
  C.Other = splitList(D::Other);
  C.CapacitySemantics = splitList(D::CapacitySemantics);
  C.FutureWaits = splitList(D::FutureWaits);
  C.StartFunctions = splitList(D::StartFunctions);
  return C;
}

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
                           std::vector<std::string> *Errors)
    : Options(C) {
  Starts.add(C.StartFunctions);
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
    FutureWaitMembers.insert(N.drop_front(Sep + 2));
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
    E = ignoreTransparent(E, PeelTemporaries | PeelExplicitCasts | PeelCopies);
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

const ChannelFamily *
ChannelModel::familyOfUndeducedVar(const VarDecl *VD) const {
  if (!VD->getType()->isUndeducedAutoType() || !VD->getInit())
    return nullptr;
  const auto *CE = dyn_cast<CallExpr>(VD->getInit()->IgnoreImplicit());
  const auto *ULE = CE ? dyn_cast<UnresolvedLookupExpr>(
                             CE->getCallee()->IgnoreParenImpCasts())
                       : nullptr;
  if (!ULE || !ULE->getName().isIdentifier() || ULE->getNumTemplateArgs() != 1)
    return nullptr;
  StringRef N = ULE->getName().getAsIdentifierInfo()->getName();
  if (N != "make_shared" && N != "make_unique")
    return nullptr;
  const TemplateArgument &A = ULE->getTemplateArgs()[0].getArgument();
  if (A.getKind() != TemplateArgument::Type)
    return nullptr;
  return familyOfObjectType(A.getAsType());
}

} // namespace leaklib
} // namespace clang
