/*
 * claim_lexicon.c — the word lists of claim extraction (see
 * claim_lexicon.h): one table of natural spellings, folded into a hash
 * table the first time it is used.
 *
 * Why a table of inflected forms rather than a stemmer: reporting verbs are
 * a closed, small set, and a stemmer would turn nouns (ذكر، كشف، نقل) and
 * names into cues.  The forms listed are the ones wire copy uses: past and
 * present, masculine and feminine, singular and plural.  Nouns that are
 * also verbs (نقل "transport", وصف "description", report, claims) are
 * listed as cues and disambiguated by context in claim_extract.c.
 */
#include "claim_lexicon.h"
#include "text.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *word;
    uint32_t flags;
    uint8_t kind;
    uint8_t stance;
} s_entry_t;

#define SAY(w)  { w, CL_CUE, CUE_SAY, STANCE_ASSERTS }
#define DENY(w) { w, CL_CUE, CUE_DENY, STANCE_DENIES }
#define ACC(w)  { w, CL_CUE, CUE_ACCORDING, STANCE_ASSERTS }
#define TRANS(w) { w, CL_CUE, CUE_TRANSMIT, STANCE_ASSERTS }
#define DESC(w) { w, CL_CUE, CUE_DESCRIBE, STANCE_ASSERTS }
#define TELL(w) { w, CL_CUE, CUE_TELL, STANCE_ASSERTS }
#define W(w, f) { w, f, CUE_NONE, STANCE_ASSERTS }

static const s_entry_t s_entries[] = {
    /* ---- Arabic reporting verbs: past/present, m/f, sg/pl */
    SAY("قال"), SAY("قالت"), SAY("قالوا"), SAY("قالا"), SAY("قلن"), SAY("يقول"), SAY("تقول"),
    SAY("يقولون"), SAY("تقولان"), SAY("يقولان"), SAY("يقل"), SAY("تقل"),
    SAY("أكد"), SAY("أكدت"), SAY("أكدوا"), SAY("يؤكد"), SAY("تؤكد"), SAY("يؤكدون"),
    SAY("أفاد"), SAY("أفادت"), SAY("أفادوا"), SAY("يفيد"), SAY("تفيد"),
    SAY("ذكر"), SAY("ذكرت"), SAY("ذكروا"), SAY("يذكر"), SAY("تذكر"),
    SAY("أوضح"), SAY("أوضحت"), SAY("يوضح"), SAY("توضح"),
    SAY("أشار"), SAY("أشارت"), SAY("يشير"), SAY("تشير"),
    SAY("كشف"), SAY("كشفت"), SAY("يكشف"), SAY("تكشف"),
    SAY("أضاف"), SAY("أضافت"), SAY("يضيف"), SAY("تضيف"),
    SAY("اعتبر"), SAY("اعتبرت"), SAY("يعتبر"), SAY("تعتبر"),
    SAY("زعم"), SAY("زعمت"), SAY("يزعم"), SAY("تزعم"), SAY("زعموا"),
    SAY("اتهم"), SAY("اتهمت"), SAY("يتهم"), SAY("تتهم"), SAY("اتهموا"),
    SAY("حذر"), SAY("حذرت"), SAY("يحذر"), SAY("تحذر"),
    SAY("أعلن"), SAY("أعلنت"), SAY("يعلن"), SAY("تعلن"),
    SAY("صرح"), SAY("صرحت"), SAY("أبلغ"), SAY("أبلغت"),
    SAY("اعترف"), SAY("اعترفت"), SAY("أقر"), SAY("أقرت"),
    SAY("رأى"), SAY("رأت"), SAY("يرى"), SAY("ترى"),
    SAY("شدد"), SAY("شددت"), SAY("يشدد"), SAY("تشدد"), SAY("لفت"), SAY("لفتت"),
    { "رجح", CL_CUE, CUE_SAY, STANCE_HEDGES }, { "رجحت", CL_CUE, CUE_SAY, STANCE_HEDGES },
    { "يرجح", CL_CUE, CUE_SAY, STANCE_HEDGES }, { "ترجح", CL_CUE, CUE_SAY, STANCE_HEDGES },
    DENY("نفى"), DENY("نفت"), DENY("نفوا"), DENY("ينفي"), DENY("تنفي"), DENY("ينفون"),
    DENY("ينف"), DENY("تنف"),     /* jussive after لم: لم ينف */
    DENY("رفض"), DENY("رفضت"), DENY("يرفض"), DENY("ترفض"), DENY("رفضوا"),
    DENY("كذب"), DENY("كذبت"), DENY("يكذب"), DENY("تكذب"),
    DENY("دحض"), DENY("دحضت"),
    TRANS("نقل"), TRANS("نقلت"), TRANS("ينقل"), TRANS("تنقل"), TRANS("نقلوا"),
    DESC("وصف"), DESC("وصفت"), DESC("يصف"), DESC("تصف"), DESC("وصفوا"),
    DESC("وصفها"), DESC("وصفه"), DESC("وصفتها"), DESC("وصفته"), DESC("وصفوها"),
    SAY("اعتبره"), SAY("اعتبرته"), SAY("اعتبرها"), SAY("اعتبرتها"), SAY("اعتبروه"),
    SAY("اعتبروها"),
    ACC("وفقا"), ACC("وفق"), ACC("بحسب"), ACC("حسب"), ACC("نقلا"),
    /* ---- English */
    SAY("said"), SAY("says"), SAY("say"), SAY("added"), SAY("adds"),
    SAY("claimed"), SAY("claims"), SAY("claim"), SAY("alleged"), SAY("alleges"),
    SAY("reported"), SAY("reports"), SAY("confirmed"), SAY("confirms"), SAY("confirm"),
    SAY("warned"), SAY("warns"), SAY("warn"), SAY("stated"), SAY("insisted"), SAY("insists"),
    SAY("noted"), SAY("announced"), SAY("acknowledged"), SAY("admitted"), SAY("disclosed"),
    SAY("revealed"), SAY("accused"), SAY("accuses"), SAY("wrote"), SAY("argued"),
    SAY("maintained"), SAY("asserted"), SAY("explained"), SAY("estimated"),
    DENY("denied"), DENY("denies"), DENY("deny"), DENY("rejected"), DENY("rejects"),
    DENY("refuted"), DENY("disputed"), DENY("disputes"),
    { "dismissed", CL_CUE, CUE_DESCRIBE, STANCE_DENIES },
    { "dismisses", CL_CUE, CUE_DESCRIBE, STANCE_DENIES },
    SAY("show"), SAY("shows"), SAY("showed"), TRANS("quoted"), DESC("called"), DESC("described"), DESC("branded"),
    TELL("told"), TELL("tells"),
    ACC("according"),
    W("citing", CL_CITE), W("quoting", CL_CITE),
    /* ---- complementizers and "his saying" */
    W("إن", CL_COMP), W("أن", CL_COMP), W("بأن", CL_COMP), W("وأن", CL_COMP), W("وإن", CL_COMP),
    W("إنه", CL_COMP), W("إنها", CL_COMP), W("إنهم", CL_COMP), W("أنه", CL_COMP),
    W("أنها", CL_COMP), W("أنهم", CL_COMP), W("بأنه", CL_COMP), W("بأنها", CL_COMP),
    W("بأنهم", CL_COMP), W("وأنه", CL_COMP), W("وأنها", CL_COMP), W("لأن", 0),
    W("that", CL_COMP),
    W("قوله", CL_QAWL), W("قولها", CL_QAWL), W("قولهم", CL_QAWL), W("قولهما", CL_QAWL),
    /* ---- time */
    W("اليوم", CL_TIME), W("أمس", CL_TIME), W("الاثنين", CL_TIME), W("الإثنين", CL_TIME),
    W("الثلاثاء", CL_TIME), W("الأربعاء", CL_TIME), W("الخميس", CL_TIME),
    W("الجمعة", CL_TIME), W("السبت", CL_TIME), W("الأحد", CL_TIME), W("مساء", CL_TIME),
    W("صباح", CL_TIME), W("الليلة", CL_TIME), W("الشهر", CL_TIME),
    W("الأسبوع", CL_TIME), W("الماضي", CL_TIME), W("الماضية", CL_TIME), W("المقبل", CL_TIME),
    W("الجاري", CL_TIME), W("يوم", CL_TIME), W("سابقا", CL_TIME), W("لاحقا", CL_TIME),
    W("january", CL_TIME | CL_ETIME), W("february", CL_TIME | CL_ETIME),
    W("march", CL_TIME | CL_ETIME), W("april", CL_TIME | CL_ETIME), W("june", CL_TIME | CL_ETIME),
    W("july", CL_TIME | CL_ETIME), W("august", CL_TIME | CL_ETIME),
    W("september", CL_TIME | CL_ETIME), W("october", CL_TIME | CL_ETIME),
    W("november", CL_TIME | CL_ETIME), W("december", CL_TIME | CL_ETIME),
    W("today", CL_TIME | CL_ETIME), W("yesterday", CL_TIME | CL_ETIME),
    W("monday", CL_TIME | CL_ETIME), W("tuesday", CL_TIME | CL_ETIME),
    W("wednesday", CL_TIME | CL_ETIME), W("thursday", CL_TIME | CL_ETIME),
    W("friday", CL_TIME | CL_ETIME), W("saturday", CL_TIME | CL_ETIME),
    W("sunday", CL_TIME | CL_ETIME), W("tonight", CL_TIME | CL_ETIME),
    W("on", CL_ETIME), W("in", CL_ETIME), W("late", CL_ETIME), W("early", CL_ETIME),
    W("earlier", CL_ETIME | CL_ADV), W("later", CL_ETIME | CL_ADV), W("last", CL_ETIME),
    W("this", CL_ETIME | CL_DET), W("week", CL_ETIME), W("month", CL_ETIME),
    W("night", CL_ETIME), W("morning", CL_ETIME), W("afternoon", CL_ETIME),
    W("evening", CL_ETIME), W("statement", CL_ETIME), W("interview", CL_ETIME),
    W("briefing", CL_ETIME), W("email", CL_ETIME), W("post", CL_ETIME),
    W("a", CL_ETIME | CL_DET), W("an", CL_ETIME | CL_DET), W("written", CL_ETIME),
    W("televised", CL_ETIME), W("speech", CL_ETIME), W("conference", CL_ETIME),
    W("news", CL_ETIME | CL_DET), W("phone", CL_ETIME), W("call", CL_ETIME),
    W("at", CL_ETIME | CL_NOSUBJ), W("press", CL_ETIME | CL_DET), W("joint", CL_ETIME),
    W("video", CL_ETIME), W("address", CL_ETIME), W("remarks", CL_ETIME),
    W("message", CL_ETIME), W("letter", CL_ETIME), W("meanwhile", CL_ADV),
    W("باستمرار", CL_ADV), W("بشدة", CL_ADV), W("مجددا", CL_ADV), W("مرارا", CL_ADV),
    W("قطعيا", CL_ADV), W("رسميا", CL_ADV), W("علنا", CL_ADV),
    /* ---- hedges */
    W("reportedly", CL_HEDGE | CL_ADV), W("allegedly", CL_HEDGE | CL_ADV),
    W("may", CL_HEDGE), W("might", CL_HEDGE), W("could", CL_HEDGE), W("appears", CL_HEDGE),
    W("appeared", CL_HEDGE), W("seems", CL_HEDGE), W("seemed", CL_HEDGE),
    W("possibly", CL_HEDGE), W("probably", CL_HEDGE), W("likely", CL_HEDGE),
    W("apparently", CL_HEDGE | CL_ADV), W("believed", CL_HEDGE),
    W("unconfirmed", CL_HEDGE), W("believe", CL_HEDGE), W("believes", CL_HEDGE),
    W("perhaps", CL_HEDGE),
    W("يبدو", CL_HEDGE), W("ربما", CL_HEDGE), W("يعتقد", CL_HEDGE), W("محتمل", CL_HEDGE),
    W("المحتمل", CL_HEDGE), W("محتملا", CL_HEDGE), W("مزعوم", CL_HEDGE),
    W("مزعومة", CL_HEDGE), W("المزعومة", CL_HEDGE), W("المزعوم", CL_HEDGE),
    W("يرجّح", CL_HEDGE), W("يحتمل", CL_HEDGE), W("قد", 0),
    /* ---- denial words */
    W("baseless", CL_DENYWORD), W("fake", CL_DENYWORD), W("hoax", CL_DENYWORD),
    W("fabricated", CL_DENYWORD), W("fabrication", CL_DENYWORD), W("false", CL_DENYWORD),
    W("untrue", CL_DENYWORD), W("lies", CL_DENYWORD), W("nonsense", CL_DENYWORD),
    W("groundless", CL_DENYWORD), W("unfounded", CL_DENYWORD), W("fiction", CL_DENYWORD),
    W("disinformation", CL_DENYWORD), W("invented", CL_DENYWORD),
    W("مزيف", CL_DENYWORD), W("مزيفة", CL_DENYWORD), W("خدعة", CL_DENYWORD),
    W("مفبرك", CL_DENYWORD), W("مفبركة", CL_DENYWORD), W("كاذب", CL_DENYWORD),
    W("كاذبة", CL_DENYWORD), W("أكاذيب", CL_DENYWORD), W("ملفق", CL_DENYWORD),
    W("ملفقة", CL_DENYWORD), W("مختلق", CL_DENYWORD), W("مختلقة", CL_DENYWORD),
    W("عار", CL_DENYWORD), W("عارية", CL_DENYWORD), W("افتراء", CL_DENYWORD),
    W("أساس", 0), W("مضللة", CL_DENYWORD), W("شائعات", CL_DENYWORD),
    W("smear", CL_DENYWORD), W("تشويه", CL_DENYWORD), W("كذبة", CL_DENYWORD),
    W("أكذوبة", CL_DENYWORD), W("الكذب", CL_DENYWORD),
    /* ---- English determiners (report/claims after them are nouns) */
    W("the", CL_DET), W("these", CL_DET), W("those", CL_DET), W("such", CL_DET),
    W("media", CL_DET), W("press", CL_DET), W("recent", CL_DET), W("similar", CL_DET),
    W("of", CL_DET), W("his", CL_DET), W("her", CL_DET), W("their", CL_DET),
    W("its", CL_DET), W("new", CL_DET), W("unverified", CL_DET),
    /* ---- Arabic prepositions that end a speaker phrase */
    W("في", CL_PREP | CL_PLACE), W("من", CL_PREP | CL_PLACE), W("على", CL_PREP), W("إلى", CL_PREP),
    W("عن", CL_PREP), W("مع", CL_PREP), W("خلال", CL_PREP), W("بعد", CL_PREP),
    W("قبل", CL_PREP), W("منذ", CL_PREP), W("حول", CL_PREP), W("أيضا", CL_PREP),
    W("كذلك", CL_PREP), W("تعليقا", CL_PREP), W("ردا", CL_PREP), W("عبر", CL_PREP),
    W("أمام", CL_PREP), W("أثناء", CL_PREP), W("عقب", CL_PREP), W("إثر", CL_PREP),
    W("بشأن", CL_PREP), W("حيال", CL_PREP), W("إزاء", CL_PREP), W("تجاه", CL_PREP),
    W("ضد", CL_PREP), W("عند", CL_PREP), W("وسط", CL_PREP),
    /* place and affiliation: مسؤول في الوزارة، السفير لدى الأمم المتحدة */
    W("لدى", CL_PREP | CL_PLACE), W("داخل", CL_PREP | CL_PLACE),
    W("هذه", CL_DEMONST), W("هذا", CL_DEMONST), W("تلك", CL_DEMONST), W("ذلك", CL_DEMONST),
    W("هؤلاء", CL_DEMONST),
    /* ---- speaking for an entity, titles */
    W("spokesman", CL_SPOKES), W("spokeswoman", CL_SPOKES), W("spokesperson", CL_SPOKES),
    W("المتحدث", CL_SPOKES), W("الناطق", CL_SPOKES), W("متحدث", CL_SPOKES),
    W("ناطق", CL_SPOKES), W("باسم", CL_SPOKES), W("المتحدثة", CL_SPOKES),
    W("متحدثة", CL_SPOKES), W("office", CL_TITLE), W("ministry", CL_TITLE),
    W("president", CL_TITLE), W("mr", CL_TITLE), W("ms", CL_TITLE), W("leader", CL_TITLE),
    W("الرئيس", CL_TITLE), W("السيد", CL_TITLE), W("زعيم", CL_TITLE), W("جماعة", CL_TITLE),
    W("ميليشيا", CL_TITLE),
    /* ranks and honorifics before a name (اللواء سامي حسن) */
    W("اللواء", CL_TITLE), W("العميد", CL_TITLE), W("العقيد", CL_TITLE),
    W("الفريق", CL_TITLE), W("المشير", CL_TITLE), W("الشيخ", CL_TITLE),
    W("الدكتور", CL_TITLE), W("المقدم", CL_TITLE), W("الرائد", CL_TITLE),
    /* ---- roles of a person, after which a name may stand (الباحث سامر الحداد) */
    W("محامي", CL_PERSON), W("المحامي", CL_PERSON), W("محامية", CL_PERSON),
    W("الوزير", CL_PERSON), W("وزير", CL_PERSON), W("السفير", CL_PERSON), W("سفير", CL_PERSON),
    W("المبعوث", CL_PERSON), W("مبعوث", CL_PERSON), W("الخبير", CL_PERSON), W("خبير", CL_PERSON),
    W("المحلل", CL_PERSON), W("محلل", CL_PERSON), W("الباحث", CL_PERSON), W("باحث", CL_PERSON),
    W("قائد", CL_PERSON), W("القائد", CL_PERSON), W("نائب", CL_PERSON), W("مستشار", CL_PERSON),
    W("المستشار", CL_PERSON), W("مدير", CL_PERSON), W("المدير", CL_PERSON), W("رئيس", CL_PERSON),
    W("المدعي", CL_PERSON), W("القاضي", CL_PERSON), W("الضابط", CL_PERSON), W("ضابط", CL_PERSON),
    W("الدبلوماسي", CL_PERSON), W("المحقق", CL_PERSON), W("كبير", CL_PERSON),
    W("مفاوضي", CL_PERSON), W("الأمين", CL_PERSON), W("وزيرة", CL_PERSON),
    W("الوزيرة", CL_PERSON), W("النائب", CL_PERSON), W("مساعد", CL_PERSON),
    /* feminine roles and a few more heads of a role (الممثلة الخاصة، الكاتب) */
    W("الممثل", CL_PERSON), W("ممثل", CL_PERSON), W("الممثلة", CL_PERSON), W("ممثلة", CL_PERSON),
    W("المنسق", CL_PERSON), W("المنسقة", CL_PERSON), W("المفوض", CL_PERSON),
    W("المفوضة", CL_PERSON), W("الكاتب", CL_PERSON), W("كاتب", CL_PERSON),
    W("الكاتبة", CL_PERSON), W("المحللة", CL_PERSON), W("محللة", CL_PERSON),
    W("الباحثة", CL_PERSON), W("باحثة", CL_PERSON), W("الخبيرة", CL_PERSON),
    W("خبيرة", CL_PERSON), W("المديرة", CL_PERSON), W("مديرة", CL_PERSON),
    W("رئيسة", CL_PERSON), W("الرئيسة", CL_PERSON), W("نائبة", CL_PERSON),
    W("قائدة", CL_PERSON), W("المبعوثة", CL_PERSON), W("مبعوثة", CL_PERSON),
    W("السفيرة", CL_PERSON), W("سفيرة", CL_PERSON), W("مستشارة", CL_PERSON),
    W("المستشارة", CL_PERSON), W("المحامية", CL_PERSON), W("القاضية", CL_PERSON),
    W("الأستاذ", CL_PERSON), W("أستاذ", CL_PERSON),
    W("المراسل", CL_PERSON), W("مراسل", CL_PERSON),
    /* ---- settings of a statement (في بيان): not part of a speaker */
    W("بيان", CL_SETTING), W("تصريح", CL_SETTING), W("تصريحات", CL_SETTING),
    W("مؤتمر", CL_SETTING), W("حديث", CL_SETTING), W("مقابلة", CL_SETTING),
    W("كلمة", CL_SETTING), W("تغريدة", CL_SETTING), W("منشور", CL_SETTING),
    W("رسالة", CL_SETTING), W("بيانه", CL_SETTING), W("بيانها", CL_SETTING),
    W("وقت", CL_SETTING), W("سابق", CL_SETTING), W("صحفي", CL_SETTING),
    W("إفادة", CL_SETTING), W("إحاطة", CL_SETTING), W("لقاء", CL_SETTING),
    W("خطاب", CL_SETTING), W("جلسة", CL_SETTING), W("ندوة", CL_SETTING),
    W("تقرير", CL_SETTING), W("تقريرها", CL_SETTING), W("تقريره", CL_SETTING),
    W("حوار", CL_SETTING), W("مداخلة", CL_SETTING), W("تدوينة", CL_SETTING),
    W("مقال", CL_SETTING), W("ختام", CL_SETTING), W("أعقاب", CL_SETTING),
    W("اتصال", CL_SETTING), W("بيانات", CL_SETTING), W("رسالته", CL_SETTING),
    /* ---- headline labels before a colon, not sources */
    W("exclusive", CL_LABEL), W("breaking", CL_LABEL), W("update", CL_LABEL),
    W("analysis", CL_LABEL), W("factbox", CL_LABEL), W("explainer", CL_LABEL),
    W("حصري", CL_LABEL), W("عاجل", CL_LABEL), W("تحليل", CL_LABEL),
    /* ---- active participles that add to a report: "، مضيفا أن" is ", adding" */
    W("مضيفا", CL_ADDING), W("مضيفة", CL_ADDING), W("مؤكدا", CL_ADDING), W("مؤكدة", CL_ADDING),
    W("مشيرا", CL_ADDING), W("مشيرة", CL_ADDING), W("موضحا", CL_ADDING), W("موضحة", CL_ADDING),
    W("واصفا", CL_ADDING), W("واصفة", CL_ADDING), W("مشددا", CL_ADDING), W("مشددة", CL_ADDING),
    W("لافتا", CL_ADDING), W("لافتة", CL_ADDING), W("معتبرا", CL_ADDING), W("معتبرة", CL_ADDING),
    W("محذرا", CL_ADDING), W("محذرة", CL_ADDING), W("نافيا", CL_ADDING), W("نافية", CL_ADDING),
    W("متهما", CL_ADDING), W("متهمة", CL_ADDING),
    /* ---- a verb after these is subordinate (دون أن تكشف), not a report */
    W("دون", CL_SUBORD), W("عدم", CL_SUBORD), W("كي", CL_SUBORD), W("لكي", CL_SUBORD), W("حتى", CL_SUBORD),
    /* ---- definite adjectives that are not nisba (الأمم المتحدة) */
    W("المتحدة", CL_ADJ), W("العام", CL_ADJ), W("العامة", CL_ADJ), W("الكبرى", CL_ADJ),
    W("الأعلى", CL_ADJ), W("الخاصة", CL_ADJ), W("المسلحة", CL_ADJ), W("المشتركة", CL_ADJ),
    W("السابق", CL_ADJ), W("السابقة", CL_ADJ), W("الجديد", CL_ADJ), W("الجديدة", CL_ADJ),
    W("المؤقتة", CL_ADJ), W("الأول", CL_ADJ), W("الأولى", CL_ADJ), W("المستقلة", CL_ADJ),
    W("الخاص", CL_ADJ), W("الدائم", CL_ADJ), W("الدائمة", CL_ADJ), W("الكبير", CL_ADJ),
    W("الكبيرة", CL_ADJ), W("المستقل", CL_ADJ), W("المؤقت", CL_ADJ), W("العليا", CL_ADJ),
    W("المعني", CL_ADJ), W("المعنية", CL_ADJ), W("المختص", CL_ADJ), W("المختصة", CL_ADJ),
    /* ---- negation */
    W("لم", CL_NEG), W("لا", CL_NEG), W("لن", CL_NEG), W("ولم", CL_NEG), W("ولا", CL_NEG),
    W("فلم", CL_NEG), W("ولن", CL_NEG), W("not", CL_NEG),
    W("never", CL_NEG), W("didn't", CL_NEG), W("did", 0),
    /* ---- recipients after ل (قال لوكالة ...) and English recipients */
    W("وكالة", CL_MEDIA), W("صحيفة", CL_MEDIA), W("قناة", CL_MEDIA), W("شبكة", CL_MEDIA),
    W("موقع", CL_MEDIA), W("تلفزيون", CL_MEDIA), W("إذاعة", CL_MEDIA), W("رويترز", CL_MEDIA),
    W("صحفيين", CL_MEDIA), W("صحافيين", CL_MEDIA), W("الصحفيين", CL_MEDIA),
    W("الصحافيين", CL_MEDIA), W("مجلة", CL_MEDIA), W("الصحيفة", CL_MEDIA),
    W("الوكالة", CL_MEDIA), W("القناة", CL_MEDIA), W("هيئة", CL_MEDIA),
    W("newspaper", CL_ENMEDIA), W("agency", CL_ENMEDIA), W("news", CL_ENMEDIA),
    W("state", CL_ENMEDIA), W("broadcaster", CL_ENMEDIA), W("channel", CL_ENMEDIA),
    W("television", CL_ENMEDIA), W("radio", CL_ENMEDIA), W("magazine", CL_ENMEDIA),
    W("daily", CL_ENMEDIA), W("website", CL_ENMEDIA), W("outlet", CL_ENMEDIA),
    W("network", CL_ENMEDIA), W("wire", CL_ENMEDIA), W("service", CL_ENMEDIA),
    W("station", CL_ENMEDIA), W("weekly", CL_ENMEDIA), W("broadcaster's", CL_ENMEDIA),
    W("reporters", CL_REPORTERS), W("journalists", CL_REPORTERS),
    W("lawmakers", CL_REPORTERS),
    /* ---- declining to comment */
    W("comment", CL_COMMENT), W("التعليق", CL_COMMENT), W("للتعليق", CL_COMMENT),
    W("تعليق", CL_COMMENT), W("comments", CL_COMMENT), W("discuss", CL_COMMENT),
    W("elaborate", CL_COMMENT), W("يعلق", CL_COMMENT | CL_DECLINE), W("تعلق", CL_COMMENT | CL_DECLINE),
    W("declined", CL_DECLINE), W("refused", CL_DECLINE), W("respond", CL_DECLINE),
    W("reply", CL_DECLINE), W("reached", CL_DECLINE), W("امتنع", CL_DECLINE),
    W("امتنعت", CL_DECLINE), W("يستجب", CL_DECLINE), W("تستجب", CL_DECLINE),
    W("responded", CL_DECLINE), W("replied", CL_DECLINE), W("answer", CL_DECLINE),
    W("return", CL_DECLINE), W("returned", CL_DECLINE),
    W("calls", CL_CALLS), W("messages", CL_CALLS), W("emails", CL_CALLS),
    W("اتصالات", CL_CALLS), W("الاتصالات", CL_CALLS), W("اتصال", CL_CALLS),
    W("رسائل", CL_CALLS), W("اتصالاتنا", CL_CALLS), W("أسئلة", CL_CALLS),
    W("يرد", CL_DECLINE), W("ترد", CL_DECLINE), W("يتسن", CL_DECLINE),
    W("يتسنى", CL_DECLINE),
    /* ---- pronouns, adverbs, passives, conjunctions */
    W("he", CL_PRON), W("she", CL_PRON), W("they", CL_PRON),
    W("also", CL_ADV), W("previously", CL_ADV), W("repeatedly", CL_ADV),
    W("separately", CL_ADV), W("however", CL_ADV), W("further", CL_ADV),
    W("publicly", CL_ADV), W("firmly", CL_ADV), W("flatly", CL_ADV),
    W("was", CL_PASSIVE), W("were", CL_PASSIVE), W("is", CL_PASSIVE), W("are", CL_PASSIVE),
    W("be", CL_PASSIVE), W("been", CL_PASSIVE), W("being", CL_PASSIVE),
    W("and", CL_CONJ), W("but", CL_CONJ), W("while", CL_CONJ),
    /* English words that cannot start a speaker (a preposition, a
     * subordinator): "at a press conference told", "if respondents noted" */
    W("during", CL_NOSUBJ), W("for", CL_NOSUBJ), W("with", CL_NOSUBJ),
    W("from", CL_NOSUBJ), W("by", CL_NOSUBJ), W("after", CL_NOSUBJ), W("before", CL_NOSUBJ),
    W("if", CL_NOSUBJ), W("whether", CL_NOSUBJ), W("because", CL_NOSUBJ),
    W("when", CL_NOSUBJ), W("as", CL_NOSUBJ), W("who", CL_NOSUBJ), W("which", CL_NOSUBJ),
    W("what", CL_NOSUBJ), W("where", CL_NOSUBJ), W("than", CL_NOSUBJ), W("into", CL_NOSUBJ),
};

#define S_SLOTS 2048u   /* power of two, > 2 × entries */

typedef struct {
    char *key;
    claim_word_t w;
} s_slot_t;

static s_slot_t s_table[S_SLOTS];
static pthread_once_t s_once = PTHREAD_ONCE_INIT;
static bool s_ready;

static uint32_t
s_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char) *s) * 16777619u;
    return h;
}

static bool
s_is_arabic(const char *s)
{
    return (unsigned char) s[0] == 0xD8 || (unsigned char) s[0] == 0xD9
        || (unsigned char) s[0] == 0xDA || (unsigned char) s[0] == 0xDB;
}

static void
s_build(void)
{
    for (size_t i = 0; i < sizeof s_entries / sizeof s_entries[0]; i++) {
        const s_entry_t *e = &s_entries[i];
        char *key = text_fold(e->word, strlen(e->word));
        if (!key)
            return;     /* s_ready stays false: no cue is ever found */
        uint32_t h = s_hash(key) & (S_SLOTS - 1);
        while (s_table[h].key && strcmp(s_table[h].key, key) != 0)
            h = (h + 1) & (S_SLOTS - 1);
        s_slot_t *sl = &s_table[h];
        if (sl->key)
            free(key);
        else
            sl->key = key;
        sl->w.flags |= e->flags;
        if (e->flags & CL_CUE) {
            sl->w.kind = e->kind;
            sl->w.stance = e->stance;
            sl->w.arabic = s_is_arabic(sl->key);
        }
    }
    s_ready = true;
}

const claim_word_t *
claim_lexicon_find(const char *key)
{
    pthread_once(&s_once, s_build);
    if (!s_ready || !key || !*key)
        return NULL;
    uint32_t h = s_hash(key) & (S_SLOTS - 1);
    while (s_table[h].key) {
        if (strcmp(s_table[h].key, key) == 0)
            return &s_table[h].w;
        h = (h + 1) & (S_SLOTS - 1);
    }
    return NULL;
}

const claim_word_t *
claim_lexicon_find_cue(const char *key, size_t *prefix_bytes)
{
    *prefix_bytes = 0;
    const claim_word_t *w = claim_lexicon_find(key);
    if (w && (w->flags & CL_CUE))
        return w;
    /* و U+0648 = D9 88, ف U+0641 = D9 81 */
    if ((unsigned char) key[0] == 0xD9
        && ((unsigned char) key[1] == 0x88 || (unsigned char) key[1] == 0x81)) {
        w = claim_lexicon_find(key + 2);
        if (w && (w->flags & CL_CUE) && w->arabic) {
            *prefix_bytes = 2;
            return w;
        }
    }
    return NULL;
}

uint32_t
claim_lexicon_flags(const char *key, size_t *prefix_bytes)
{
    *prefix_bytes = 0;
    const claim_word_t *w = claim_lexicon_find(key);
    uint32_t f = w ? w->flags : 0;
    if ((unsigned char) key[0] == 0xD9
        && ((unsigned char) key[1] == 0x88 || (unsigned char) key[1] == 0x81)) {
        const claim_word_t *r = claim_lexicon_find(key + 2);
        if (r && (r->flags & ~f)) {
            f |= r->flags & (CL_HEDGE | CL_DENYWORD | CL_NEG | CL_DECLINE | CL_COMP | CL_TIME);
            *prefix_bytes = 2;
        }
    }
    return f;
}

bool
claim_lexicon_nisba(const char *key)
{
    size_t n = strlen(key);
    /* ي = D9 8A, ه = D9 87, ن = D9 86, و = D9 88 */
    if (n >= 4 && !strcmp(key + n - 2, "\xD9\x8A"))
        return true;
    if (n >= 6 && !strcmp(key + n - 4, "\xD9\x8A\xD9\x87"))
        return true;
    if (n >= 8 && (!strcmp(key + n - 4, "\xD9\x88\xD9\x86")
                   || !strcmp(key + n - 6, "\xD9\x8A\xD9\x8A\xD9\x86")))
        return true;
    return false;
}
