//===--- SliceFacts.cpp - leak-tidy ---------------------------------------===//
#include "lib/slice/SliceFacts.h"
#include "lib/core/ParentIndex.h"
#include "lib/core/Storage.h"
#include "lib/program/FunctionSummaries.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include <algorithm>

namespace clang {
namespace leaklib {

SliceOptions SliceOptions::defaults() {
  SliceOptions O;
  O.SliceTypes = NameMatcher(splitList(DefaultSliceTypes));
  O.SlicingFunctions = NameMatcher(splitList(DefaultSlicingFunctions));
  O.OwnerTypes = NameMatcher(splitList(DefaultOwnerTypes));
  return O;
}

SliceFacts::SliceFacts(SliceOptions O) : Opts(std::move(O)) {
  Wrappers.add(Opts.OwnerTypes.names());
  Wrappers.add(Opts.SliceTypes.names());
}

void SliceFacts::startTranslationUnit() {
  ReportedStores.clear();
  Containers.clear();
  WholeObjectAssigned.clear();
  EndsSoon.reset();
}

bool SliceFacts::shortProcess(ASTContext &Ctx) {
  if (!EndsSoon)
    EndsSoon = processEndsSoon(Ctx);
  return *EndsSoon;
}

//===-- Forms 1 and 2 ----------------------------------------------------===//

static bool isAnalysable(const Expr *E) {
  return !E->isTypeDependent() && !E->isValueDependent() &&
         !E->containsErrors();
}

/// One report per store location (template instantiations share it).
bool SliceFacts::firstReport(const Sink &S) {
  return ReportedStores.insert(S.loc().getRawEncoding()).second;
}

/// The long-lived stores of the value \p Site: where it is stored directly,
/// or where the local variable it initialises is stored; only the storage
/// kinds the options allow.
std::vector<Sink> SliceFacts::longLivedSinks(const Expr *Site, ASTContext &Ctx,
                                             bool RawPointer) {
  std::vector<Sink> Out;
  Sink S = findSink(Site, Ctx, RawPointer, Wrappers);
  if (S.Storage) {
    Out.push_back(S);
  } else if (S.Local) {
    for (Sink L : longLivedSinksOfLocal(S.Local, Ctx, RawPointer, Wrappers)) {
      L.Local = S.Local; // reached through this local variable
      Out.push_back(L);
    }
  }
  llvm::erase_if(Out, [&](const Sink &K) {
    return !K.Storage || !Opts.Kinds.allows(K.Storage.Kind);
  });
  // A program whose main() plainly ends soon frees everything at exit.
  if (!Out.empty() && shortProcess(Ctx))
    Out.clear();
  return Out;
}

std::optional<RetainedSlice> SliceFacts::slice(const Expr *Site,
                                               const Expr *Owner,
                                               SliceForm Form,
                                               ASTContext &Ctx) {
  if (!isAnalysable(Site))
    return std::nullopt;
  std::vector<Sink> Sinks = longLivedSinks(Site, Ctx, /*RawPointer=*/false);
  if (Sinks.empty())
    return std::nullopt;
  RetainedSlice R;
  R.Form = Form;
  R.Site = Site;
  R.Owner = Owner;
  R.Origin = originOf(Owner, Ctx, Opts.OwnerTypes);
  if (R.Origin.K == BufferOrigin::LongLived)
    return std::nullopt; // the buffer lives for the program anyway
  R.Size = R.Origin.Size;
  if (Form != SliceForm::SlicingCall)
    if (std::optional<uint64_t> Fixed = fixedPointeeSize(Owner->getType(), Ctx))
      R.Size = BufferSize::known(*Fixed); // an object, not a buffer
  if (!R.Size.isLarge(Opts.LargeBufferBytes))
    return std::nullopt;
  for (const Sink &S : Sinks)
    if (firstReport(S))
      R.Sinks.push_back(S);
  if (R.Sinks.empty())
    return std::nullopt;
  return R;
}

std::optional<RetainedSlice> SliceFacts::aliasSlice(const CXXConstructExpr *CE,
                                                    ASTContext &Ctx) {
  // shared_ptr(const shared_ptr<Y> &owner, T *p): the aliasing constructor.
  const CXXConstructorDecl *Ctor = CE->getConstructor();
  if (!Ctor || Ctor->getNumParams() != 2 || CE->getNumArgs() != 2 ||
      !Ctor->getParamDecl(1)->getType()->isPointerType())
    return std::nullopt;
  QualType P0 = Ctor->getParamDecl(0)->getType().getNonReferenceType();
  const CXXRecordDecl *RD = P0->getAsCXXRecordDecl();
  if (!RD || !Opts.OwnerTypes.matches(RD))
    return std::nullopt;
  return slice(CE, CE->getArg(0), SliceForm::Alias, Ctx);
}

std::optional<RetainedSlice> SliceFacts::userSlice(const Expr *E,
                                                   ASTContext &Ctx) {
  llvm::SmallVector<const Expr *, 4> Parts;
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E))
    Parts.append(CE->arg_begin(), CE->arg_end());
  else if (const auto *IL = dyn_cast<InitListExpr>(E))
    Parts.append(IL->inits().begin(), IL->inits().end());
  for (const Expr *Part : Parts) {
    if (!Part)
      continue;
    const CXXRecordDecl *RD =
        Part->getType().getNonReferenceType()->getAsCXXRecordDecl();
    if (RD && Opts.OwnerTypes.matches(RD))
      return slice(E, Part, SliceForm::UserSlice, Ctx);
  }
  return std::nullopt;
}

std::optional<RetainedSlice> SliceFacts::slicingCall(const CallExpr *Call,
                                                     ASTContext &Ctx) {
  // A method named there (`net::Slice::sub`) makes a sub-slice of its
  // object: it keeps what the object keeps.
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
    if (const Expr *Obj = MC->getImplicitObjectArgument())
      return slice(Call, Obj, SliceForm::SlicingCall, Ctx);
  if (Call->getNumArgs() < 1)
    return std::nullopt;
  return slice(Call, Call->getArg(0), SliceForm::SlicingCall, Ctx);
}

std::optional<RetainedBlock> SliceFacts::retainedBlock(const Expr *Site,
                                                       ASTContext &Ctx) {
  if (!isAnalysable(Site))
    return std::nullopt;
  std::optional<InteriorPointer> IP = interiorPointer(Site, Ctx);
  if (!IP)
    return std::nullopt;
  const Expr *Base = IP->Base->IgnoreParenCasts();
  RetainedBlock R;
  R.Site = Site;
  std::optional<HeapAllocation> Block = heapAllocation(Base, Ctx);
  const auto *Field = dyn_cast<MemberExpr>(Base);
  if (!Block && Field) {
    // `struct resp R = fetch(fd); keep = R.body + 16;`
    Block = lostFieldBlock(Field, Ctx, Site, &R.Path);
    if (!Block)
      return std::nullopt;
    R.BaseField = Field;
  } else if (!Block) {
    const auto *DRE = dyn_cast<DeclRefExpr>(Base);
    R.BaseVar = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    if (!R.BaseVar || !R.BaseVar->getType()->isPointerType() ||
        storageKind(R.BaseVar) != StorageKind::Automatic ||
        isa<ParmVarDecl>(R.BaseVar))
      return std::nullopt;
    // Cheap gate before the scan: the variable must come from an allocator
    // (its initialiser) or be declared without one.
    if (R.BaseVar->getInit() && !heapAllocation(R.BaseVar->getInit(), Ctx))
      return std::nullopt;
  }
  std::vector<Sink> Sinks = longLivedSinks(Site, Ctx, /*RawPointer=*/true);
  if (Sinks.empty())
    return std::nullopt;
  if (R.BaseVar)
    Block = lostHeapBase(R.BaseVar, Ctx, Site, &R.Path);
  if (!Block || !Block->Size.isLarge(Opts.LargeBufferBytes))
    return std::nullopt;
  R.Block = *Block;
  for (const Sink &S : Sinks)
    if (S.Storage.Root != R.BaseVar && firstReport(S))
      R.Sinks.push_back(S);
  if (R.Sinks.empty())
    return std::nullopt;
  return R;
}

//===-- Form 3 -----------------------------------------------------------===//

void SliceFacts::noteWholeObjectAssigned(const CXXRecordDecl *RD) {
  WholeObjectAssigned.insert(RD->getCanonicalDecl());
}

void SliceFacts::recordContainerUse(const Expr *Ref, ASTContext &Ctx) {
  const ValueDecl *D = nullptr;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(Ref))
    D = DRE->getDecl();
  else if (const auto *ME = dyn_cast<MemberExpr>(Ref))
    D = ME->getMemberDecl();
  BufferFamily F = bufferFamily(Ref->getType());
  if (!D || F == BufferFamily::None || Ref->isTypeDependent() ||
      Ref->containsErrors())
    return;
  D = cast<ValueDecl>(D->getCanonicalDecl());
  ContainerInfo &Info = Containers[D];
  Info.Family = F;
  if (Info.Opaque)
    return;
  if (Info.Uses.size() > 2000) {
    Info.Opaque = true; // too many uses to reason about: stay silent
    return;
  }
  const FunctionDecl *Fn = ParentIndex::get(Ctx).enclosingFunction(*Ref);
  if (Fn && Fn->isDependentContext()) {
    Info.Opaque = true; // dependent code: do not guess
    return;
  }
  if (const auto *FD = dyn_cast<FieldDecl>(D)) {
    // Conservative: only `this->field` inside the class's own members.
    const auto *ME = dyn_cast<MemberExpr>(Ref);
    const auto *M = dyn_cast_or_null<CXXMethodDecl>(Fn);
    if (!ME || !isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()) || !M ||
        M->getParent()->getCanonicalDecl() !=
            FD->getParent()->getCanonicalDecl()) {
      Info.Opaque = true;
      return;
    }
    if (isa<CXXConstructorDecl>(M) || isa<CXXDestructorDecl>(M))
      return; // fills in constructors are initial sizes; dtors free anyway
  }
  BufferUse U =
      classifyBufferUse(Ref, F, Ctx, Opts.LargeBufferBytes, Opts.OwnerTypes);
  // A shrink request is judged at the end (it may run before the cut, where
  // it frees nothing); any other release gives the capacity back for good.
  if (U.Effect == ContainerEffect::Opaque ||
      (U.Effect == ContainerEffect::Release && !U.ShrinkRequest)) {
    Info.Opaque = true;
    return;
  }
  if (U.Effect != ContainerEffect::Neutral)
    Info.Uses.push_back({U, Fn});
}

static bool hasMemberTemplates(const CXXRecordDecl *RD) {
  for (const Decl *Member : RD->decls())
    if (isa<FunctionTemplateDecl>(Member))
      return true;
  return false;
}

/// Whether the container \p D is one form 3 judges: long-lived storage the
/// options allow, which no other translation unit can touch, in a class
/// whose members are all seen. \p OnlyPartialCuts: members of ordinary
/// objects, where emptying them (clear() in a Reset()) is taken as
/// resetting the object for its next use.
bool SliceFacts::tracked(const ValueDecl *D, ASTContext &Ctx,
                         bool &OnlyPartialCuts) {
  const SourceManager &SM = Ctx.getSourceManager();
  OnlyPartialCuts = false;
  if (const auto *V = dyn_cast<VarDecl>(D))
    return livesForProgram(V) && Opts.Kinds.allows(storageKind(V)) &&
           visibleOnlyInThisTU(V, SM);
  const auto *FD = dyn_cast<FieldDecl>(D);
  const auto *RD = FD ? dyn_cast<CXXRecordDecl>(FD->getParent()) : nullptr;
  if (!RD || !RD->hasDefinition() || RD->isDependentContext() ||
      isa<ClassTemplateSpecializationDecl>(RD))
    return false;
  bool Static = hasStaticInstance(RD, Ctx);
  const StorageKinds &K = Opts.Kinds;
  OnlyPartialCuts = !Static || !K.StaticObjectMembers;
  if (!(Static ? K.StaticObjectMembers || K.DataMembers : K.DataMembers))
    return false;
  // Every member function must be visible (one defined elsewhere could
  // release the capacity) and analysed (templated members are not).
  return !WholeObjectAssigned.count(RD->getCanonicalDecl()) &&
         visibleOnlyInThisTU(FD, SM) && classFullyDefinedHere(RD) &&
         !hasMemberTemplates(RD);
}

/// A large initial size: `static std::vector<char> g(1 << 20);`.
std::optional<SliceFacts::RecordedUse>
SliceFacts::initialFill(const VarDecl *V, ASTContext &Ctx) {
  const VarDecl *Def = V->getDefinition();
  const auto *CE = dyn_cast_or_null<CXXConstructExpr>(
      Def && Def->getInit() ? Def->getInit()->IgnoreImplicit() : nullptr);
  if (!CE || CE->getNumArgs() < 1 || !CE->getArg(0)->getType()->isIntegerType())
    return std::nullopt;
  BufferUse Init;
  Init.Where = CE;
  Init.Size = bytesOf(CE->getArg(0), QualType(), Ctx); // elements
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      V->getType()->getAsCXXRecordDecl());
  if (Spec && Spec->getTemplateArgs().size() > 0 &&
      Spec->getTemplateArgs()[0].getKind() == TemplateArgument::Type)
    Init.Size =
        bytesOf(CE->getArg(0), Spec->getTemplateArgs()[0].getAsType(), Ctx);
  if (!Init.Size.isLarge(Opts.LargeBufferBytes))
    return std::nullopt;
  Init.Effect = ContainerEffect::LargeFill;
  Init.Replaces = true;
  return RecordedUse{Init, nullptr};
}

static bool isGrowth(const BufferUse &U) {
  return U.Effect == ContainerEffect::Grow ||
         U.Effect == ContainerEffect::LargeFill;
}

/// A one-off burst: the cut empties the container, outside any loop, in a
/// function that runs once (FunctionSummaries::runsOnce) and filled it
/// large before the cut, and nothing else grows it -- neither that function
/// after the cut nor any other. Returns the large fill, or null.
const SliceFacts::RecordedUse *
SliceFacts::oneOffBurst(const RecordedUse &Cut,
                        const std::vector<RecordedUse> &Uses, ASTContext &Ctx) {
  if (!Cut.Use.Emptying || Cut.Use.Loop)
    return nullptr;
  const SourceManager &SM = Ctx.getSourceManager();
  const RecordedUse *Fill = nullptr;
  for (const RecordedUse &G : Uses) {
    if (!isGrowth(G.Use))
      continue;
    if (G.Function != Cut.Function ||
        !SM.isBeforeInTranslationUnit(G.Use.Where->getBeginLoc(),
                                      Cut.Use.Where->getBeginLoc()))
      return nullptr;
    if (G.Use.Effect == ContainerEffect::LargeFill && !Fill)
      Fill = &G;
  }
  if (!Fill || !FunctionSummaries::get(Ctx).runsOnce(Cut.Function))
    return nullptr;
  return Fill;
}

/// Whether \p Cut is scratch-buffer reuse rather than retention: the same
/// loop grows the container again, the same function grows it after the
/// cut, or the cut empties it in a function that also fills it (fill, use,
/// clear: the next call fills it again) -- unless that function runs once
/// (\p OneOff). A cut that drops a prefix is reuse as soon as anything
/// appends to the container (a stream buffer consuming what it parsed).
/// \p Shown: the large fill to show (earlier in the same function).
bool SliceFacts::isReuse(const RecordedUse &Cut,
                         const std::vector<RecordedUse> &Uses, ASTContext &Ctx,
                         const RecordedUse *&Shown, bool &OneOff) {
  const SourceManager &SM = Ctx.getSourceManager();
  bool Reuse = false;
  Shown = nullptr;
  OneOff = false;
  for (const RecordedUse &G : Uses) {
    if (!isGrowth(G.Use))
      continue;
    if (Cut.Use.Loop && isWithin(G.Use.Where, Cut.Use.Loop, Ctx))
      return true;
    if (Cut.Use.Prefix && !G.Use.Replaces)
      return true;
    if (G.Function != Cut.Function)
      continue;
    if (Cut.Use.Emptying ||
        SM.isBeforeInTranslationUnit(Cut.Use.Where->getBeginLoc(),
                                     G.Use.Where->getBeginLoc()))
      Reuse = true;
    else if (G.Use.Effect == ContainerEffect::LargeFill && !Shown)
      Shown = &G;
  }
  if (Reuse)
    if (const RecordedUse *Fill = oneOffBurst(Cut, Uses, Ctx)) {
      Shown = Fill;
      OneOff = true;
      return false;
    }
  return Reuse;
}

/// The first cut in \p Uses (sorted) that retains the capacity (isReuse);
/// null when every cut is reuse.
const SliceFacts::RecordedUse *
SliceFacts::retainingCut(const std::vector<RecordedUse> &Uses,
                         bool OnlyPartialCuts, ASTContext &Ctx,
                         const RecordedUse *&Shown, bool &OneOff) {
  for (const RecordedUse &Cut : Uses) {
    if (Cut.Use.Effect != ContainerEffect::Cut || !Cut.Function ||
        (OnlyPartialCuts && Cut.Use.Emptying))
      continue;
    if (!isReuse(Cut, Uses, Ctx, Shown, OneOff))
      return &Cut;
  }
  return nullptr;
}

/// Whether the shrink request \p R frees nothing of what \p Cut drops: it
/// runs before the cut in the same function, neither in a loop, with no
/// other cut before it there (it would free that one's capacity).
static bool shrinksTooEarly(const BufferUse &R, const FunctionDecl *RFn,
                            const BufferUse &Cut, const FunctionDecl *CutFn,
                            const std::vector<BufferUse> &Cuts,
                            const SourceManager &SM) {
  auto Before = [&](const BufferUse &A, const BufferUse &B) {
    return SM.isBeforeInTranslationUnit(A.Where->getBeginLoc(),
                                        B.Where->getBeginLoc());
  };
  if (!R.ShrinkRequest || RFn != CutFn || R.Loop || Cut.Loop || !Before(R, Cut))
    return false;
  return llvm::none_of(Cuts, [&](const BufferUse &C) { return Before(C, R); });
}

std::optional<RetainedCapacity> SliceFacts::judge(const ValueDecl *D,
                                                  const ContainerInfo &Info,
                                                  ASTContext &Ctx) {
  bool OnlyPartialCuts = false;
  if (Info.Opaque || !tracked(D, Ctx, OnlyPartialCuts) || shortProcess(Ctx))
    return std::nullopt;
  std::vector<RecordedUse> Uses = Info.Uses;
  if (const auto *V = dyn_cast<VarDecl>(D))
    if (std::optional<RecordedUse> Init = initialFill(V, Ctx))
      Uses.insert(Uses.begin(), *Init);
  const SourceManager &SM = Ctx.getSourceManager();
  std::sort(Uses.begin(), Uses.end(),
            [&](const RecordedUse &A, const RecordedUse &B) {
              return SM.isBeforeInTranslationUnit(A.Use.Where->getBeginLoc(),
                                                  B.Use.Where->getBeginLoc());
            });
  auto Fill = std::find_if(Uses.begin(), Uses.end(), [](const RecordedUse &U) {
    return U.Use.Effect == ContainerEffect::LargeFill;
  });
  if (Fill == Uses.end())
    return std::nullopt;
  const RecordedUse *Shown = nullptr;
  bool OneOff = false;
  const RecordedUse *Cut =
      retainingCut(Uses, OnlyPartialCuts, Ctx, Shown, OneOff);
  if (!Cut)
    return std::nullopt;
  if (!Shown)
    Shown = &*Fill;
  RetainedCapacity R{D, Info.Family, Cut->Use.Where, Shown->Use.Where,
                     Shown->Use.Size};
  R.RunsOnce = OneOff ? Cut->Function : nullptr;
  // Every shrink request must run too early to free the cut's capacity.
  std::vector<BufferUse> CutsThere;
  for (const RecordedUse &U : Uses)
    if (U.Use.Effect == ContainerEffect::Cut && U.Function == Cut->Function)
      CutsThere.push_back(U.Use);
  for (const RecordedUse &U : Uses) {
    if (U.Use.Effect != ContainerEffect::Release)
      continue;
    if (!shrinksTooEarly(U.Use, U.Function, Cut->Use, Cut->Function, CutsThere,
                         SM))
      return std::nullopt;
    if (!R.EarlyShrink)
      R.EarlyShrink = U.Use.Where;
  }
  return R;
}

std::vector<RetainedCapacity> SliceFacts::retainedCapacity(ASTContext &Ctx) {
  std::vector<RetainedCapacity> Out;
  for (const auto &[D, Info] : Containers)
    if (std::optional<RetainedCapacity> R = judge(D, Info, Ctx))
      Out.push_back(*R);
  Containers.clear();
  return Out;
}

} // namespace leaklib
} // namespace clang
