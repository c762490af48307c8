//===--- ChannelShape.cpp - leak-tidy ------------------------------------===//
#include "lib/channel/ChannelShape.h"
#include "lib/core/AstHelpers.h"
#include "lib/core/UserCodeVisitor.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringSet.h"

namespace clang {
namespace leaklib {

namespace {

/// The qualified name of the class (or class template) of \p T, or "".
std::string typeName(QualType T) {
  if (T.isNull())
    return "";
  T = T.getNonReferenceType();
  if (const auto *TST = T->getAs<TemplateSpecializationType>())
    if (const TemplateDecl *TD = TST->getTemplateName().getAsTemplateDecl())
      return qualifiedName(TD);
  if (const CXXRecordDecl *RD = T->getAsCXXRecordDecl())
    return qualifiedName(RD);
  return "";
}

/// The field of `this` that \p E names (`q_`, `this->q_`), or null.
const FieldDecl *thisField(const Expr *E) {
  const auto *ME =
      dyn_cast_or_null<MemberExpr>(E ? E->IgnoreParenImpCasts() : nullptr);
  if (!ME || !isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
    return nullptr;
  return dyn_cast<FieldDecl>(ME->getMemberDecl());
}

/// A call of a member function on a field of `this`: `q_.size()`, also when
/// the field's type depends on a template parameter.
struct FieldCall {
  const FieldDecl *Field = nullptr;
  llvm::StringRef Name;
  const CallExpr *Call = nullptr;
};

std::optional<FieldCall> fieldCall(const Stmt *S) {
  const auto *CE = dyn_cast<CallExpr>(S);
  if (!CE || !CE->getCallee())
    return std::nullopt;
  const Expr *Callee = CE->getCallee()->IgnoreParenImpCasts();
  FieldCall FC;
  FC.Call = CE;
  const Expr *Base = nullptr;
  if (const auto *ME = dyn_cast<MemberExpr>(Callee)) {
    Base = ME->getBase();
    if (const IdentifierInfo *II = ME->getMemberDecl()->getIdentifier())
      FC.Name = II->getName();
  } else if (const auto *DS = dyn_cast<CXXDependentScopeMemberExpr>(Callee)) {
    Base = DS->isImplicitAccess() ? nullptr : DS->getBase();
    if (const IdentifierInfo *II = DS->getMember().getAsIdentifierInfo())
      FC.Name = II->getName();
  } else if (const auto *UM = dyn_cast<UnresolvedMemberExpr>(Callee)) {
    Base = UM->isImplicitAccess() ? nullptr : UM->getBase();
    if (const IdentifierInfo *II = UM->getName().getAsIdentifierInfo())
      FC.Name = II->getName();
  }
  FC.Field = thisField(Base);
  if (!FC.Field || FC.Name.empty())
    return std::nullopt;
  return FC;
}

bool isPush(llvm::StringRef N) {
  return N == "push" || N == "push_back" || N == "push_front" ||
         N == "emplace" || N == "emplace_back" || N == "emplace_front";
}
bool isPop(llvm::StringRef N) {
  return N == "pop" || N == "pop_front" || N == "pop_back";
}
bool isComparison(const Stmt *S) {
  const auto *BO = dyn_cast<BinaryOperator>(S);
  return BO && BO->isComparisonOp();
}

/// The condition a wait waits on: its predicate's body (a lambda), or the
/// condition of a `while` directly around it.
const Stmt *waitCondition(const FieldCall &Wait, ASTContext &Ctx) {
  if (Wait.Call->getNumArgs() >= 2) {
    const Expr *Pred =
        Wait.Call->getArg(Wait.Call->getNumArgs() - 1)->IgnoreImplicit();
    if (const auto *L = dyn_cast<LambdaExpr>(Pred))
      return L->getBody();
    return nullptr;
  }
  const Stmt *Loop = enclosingLoop(Wait.Call, Ctx, nullptr);
  if (const auto *W = dyn_cast_or_null<WhileStmt>(Loop))
    return W->getCond();
  return nullptr;
}

/// What one method does with the fields of its class.
struct MethodFacts {
  std::vector<FieldCall> Waits; ///< on a condition variable field
  llvm::SmallPtrSet<const FieldDecl *, 2> Pushed, Popped, SetTrue;
  bool Notifies = false;
};

MethodFacts methodFacts(const Stmt *Body,
                        const llvm::SmallPtrSet<const FieldDecl *, 4> &CVs) {
  MethodFacts MF;
  forEachStmt(
      Body,
      [&](const Stmt *S) {
        if (const auto *BO = dyn_cast<BinaryOperator>(S))
          if (BO->getOpcode() == BO_Assign)
            if (const auto *B = dyn_cast<CXXBoolLiteralExpr>(
                    BO->getRHS()->IgnoreParenImpCasts()))
              if (const FieldDecl *F = thisField(BO->getLHS()))
                if (B->getValue())
                  MF.SetTrue.insert(F);
        std::optional<FieldCall> FC = fieldCall(S);
        if (!FC)
          return Walk::Continue;
        if (CVs.count(FC->Field)) {
          if (FC->Name.starts_with("wait"))
            MF.Waits.push_back(*FC);
          else if (FC->Name.starts_with("notify"))
            MF.Notifies = true;
        } else if (isPush(FC->Name)) {
          MF.Pushed.insert(FC->Field);
        } else if (isPop(FC->Name)) {
          MF.Popped.insert(FC->Field);
        }
        return Walk::Continue;
      },
      LambdaPolicy::Enter);
  return MF;
}

/// A wait for room in \p Queue: its condition compares `Queue.size()`.
/// Returns the fields the condition reads (the close flag among them).
bool waitsForRoom(const FieldCall &Wait, const FieldDecl *&Queue,
                  llvm::SmallPtrSet<const FieldDecl *, 4> &Reads,
                  ASTContext &Ctx) {
  const Stmt *Cond = waitCondition(Wait, Ctx);
  if (!Cond)
    return false;
  const FieldDecl *Sized = nullptr;
  forEachStmt(
      Cond,
      [&](const Stmt *S) {
        if (const FieldDecl *F = thisField(dyn_cast<Expr>(S)))
          Reads.insert(F);
        if (isComparison(S))
          for (const Stmt *Side : S->children())
            anyStmt(
                Side,
                [&](const Stmt *X) {
                  std::optional<FieldCall> FC = fieldCall(X);
                  if (FC && FC->Name == "size")
                    Sized = FC->Field;
                  return FC.has_value();
                },
                LambdaPolicy::Skip);
        return Walk::Continue;
      },
      LambdaPolicy::Skip);
  if (!Sized)
    return false;
  Queue = Sized;
  return true;
}

/// The roles of the methods of \p RD if it has the shape of a bounded
/// channel.
std::optional<ShapeChannel> shapeOf(const CXXRecordDecl *RD, ASTContext &Ctx) {
  bool Mutex = false;
  llvm::SmallPtrSet<const FieldDecl *, 4> CVs;
  for (const FieldDecl *F : RD->fields()) {
    std::string N = typeName(F->getType());
    if (llvm::StringRef(N).ends_with("mutex"))
      Mutex = true;
    else if (llvm::StringRef(N).contains("condition_variable"))
      CVs.insert(F);
  }
  if (!Mutex || CVs.empty())
    return std::nullopt;
  std::vector<std::pair<const CXXMethodDecl *, MethodFacts>> Methods;
  const FieldDecl *Queue = nullptr;
  llvm::SmallPtrSet<const FieldDecl *, 4> WaitReads;
  llvm::SmallPtrSet<const CXXMethodDecl *, 4> Sends, TimedSends;
  for (const CXXMethodDecl *MD : RD->methods()) {
    if (!MD->getIdentifier() || MD->isImplicit() || MD->isDeleted() ||
        MD->isDefaulted())
      continue;
    if (!MD->hasBody())
      return std::nullopt; // a method we cannot see may read or close it
    Methods.push_back({MD, methodFacts(MD->getBody(), CVs)});
    const MethodFacts &MF = Methods.back().second;
    for (const FieldCall &W : MF.Waits) {
      const FieldDecl *Q = nullptr;
      if (!waitsForRoom(W, Q, WaitReads, Ctx) || !MF.Pushed.count(Q) ||
          (Queue && Queue != Q))
        continue;
      Queue = Q;
      (W.Name == "wait" ? Sends : TimedSends).insert(MD);
    }
  }
  if (!Queue || Sends.empty())
    return std::nullopt; // its push never waits: not a blocking channel
  ShapeChannel SC;
  SC.TypeName = qualifiedName(
      RD->getDescribedClassTemplate()
          ? static_cast<const NamedDecl *>(RD->getDescribedClassTemplate())
          : RD);
  for (const auto &[MD, MF] : Methods) {
    ChannelOp Op = ChannelOp::None;
    if (Sends.count(MD))
      Op = ChannelOp::Send;
    else if (TimedSends.count(MD) || MF.Pushed.count(Queue))
      Op = ChannelOp::TrySend;
    else if (MF.Popped.count(Queue))
      Op = MF.Waits.empty() ? ChannelOp::TryReceive : ChannelOp::Receive;
    else if (MF.Notifies && llvm::any_of(MF.SetTrue, [&](const FieldDecl *F) {
               return WaitReads.count(F) != 0;
             }))
      Op = ChannelOp::Close;
    if (Op != ChannelOp::None)
      SC.Members.push_back({MD->getName().str(), Op});
  }
  return SC;
}

class ShapeFinder : public UserCodeVisitor<ShapeFinder> {
public:
  ShapeFinder(ASTContext &Ctx, std::vector<ShapeChannel> &Out)
      : UserCodeVisitor(Ctx), Out(Out) {}
  bool VisitCXXRecordDecl(CXXRecordDecl *RD) {
    if (!RD->isThisDeclarationADefinition() || RD->isLambda() ||
        isa<ClassTemplateSpecializationDecl>(RD))
      return true;
    if (std::optional<ShapeChannel> SC = shapeOf(RD, Ctx))
      Out.push_back(std::move(*SC));
    return true;
  }

private:
  std::vector<ShapeChannel> &Out;
};

} // namespace

std::vector<ShapeChannel> findShapeChannels(ASTContext &Ctx) {
  std::vector<ShapeChannel> Out;
  ShapeFinder F(Ctx, Out);
  F.traverseUserCode();
  return Out;
}

ChannelConfig withShapeChannels(const ChannelConfig &C,
                                const std::vector<ShapeChannel> &Shapes) {
  auto Bare = [](llvm::StringRef N) {
    N = N.trim();
    return N.starts_with("::") ? N.drop_front(2) : N;
  };
  llvm::StringSet<> Types, Configured;
  for (const std::string &T : C.Types)
    Types.insert(Bare(T));
  for (const auto *L :
       {&C.Send, &C.TrySend, &C.Receive, &C.TryReceive, &C.Close, &C.Other})
    for (const std::string &N : *L)
      Configured.insert(Bare(N));
  ChannelConfig Out = C;
  for (const ShapeChannel &SC : Shapes) {
    if (Types.insert(SC.TypeName).second) {
      Out.Types.push_back(SC.TypeName);
      Out.CapacitySemantics.push_back(SC.TypeName + "=arg");
    }
    for (const auto &[Member, Op] : SC.Members) {
      std::string Q = SC.TypeName + "::" + Member;
      if (Configured.contains(Q))
        continue; // the options name its role
      switch (Op) {
      case ChannelOp::Send:
        Out.Send.push_back(Q);
        break;
      case ChannelOp::TrySend:
        Out.TrySend.push_back(Q);
        break;
      case ChannelOp::Receive:
        Out.Receive.push_back(Q);
        break;
      case ChannelOp::TryReceive:
        Out.TryReceive.push_back(Q);
        break;
      case ChannelOp::Close:
        Out.Close.push_back(Q);
        break;
      default:
        break;
      }
    }
  }
  return Out;
}

static std::vector<std::string> *roleList(ChannelConfig &C,
                                          llvm::StringRef Role) {
  Role = Role.trim();
  if (Role == "send")
    return &C.Send;
  if (Role == "try-send")
    return &C.TrySend;
  if (Role == "receive")
    return &C.Receive;
  if (Role == "try-receive")
    return &C.TryReceive;
  if (Role == "close")
    return &C.Close;
  return nullptr;
}

std::string validateMethodRole(llvm::StringRef Entry) {
  auto [Name, Role] = Entry.split('=');
  ChannelConfig Probe;
  if (!Entry.contains('=') || !roleList(Probe, Role))
    return "'" + Entry.str() +
           "' is not 'Type::method=role' with role one of send, try-send, "
           "receive, try-receive, close";
  Name = Name.trim();
  std::string Error = validateQualifiedName(Name);
  if (!Error.empty())
    return Error;
  llvm::StringRef Bare = Name.starts_with("::") ? Name.drop_front(2) : Name;
  if (!Bare.contains("::"))
    return "'" + Name.str() + "' is not 'Type::method'";
  return "";
}

void addMethodRole(ChannelConfig &C, llvm::StringRef Entry) {
  auto [Name, Role] = Entry.split('=');
  Name = Name.trim();
  if (Name.starts_with("::"))
    Name = Name.drop_front(2);
  std::vector<std::string> *List = roleList(C, Role);
  size_t Sep = Name.rfind("::");
  if (!List || Sep == llvm::StringRef::npos)
    return;
  std::string Type = Name.take_front(Sep).str();
  if (llvm::none_of(C.Types, [&](const std::string &T) {
        llvm::StringRef B(T);
        return (B.starts_with("::") ? B.drop_front(2) : B) == Type;
      }))
    C.Types.push_back(Type);
  List->push_back(Name.str());
}

} // namespace leaklib
} // namespace clang
