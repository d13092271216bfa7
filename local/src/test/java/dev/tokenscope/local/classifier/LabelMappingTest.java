package dev.tokenscope.local.classifier;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One test per source: its labels land on the documented categories. */
class LabelMappingTest {

    @Test
    void bySource_should_mapSingleDomainSources_when_theSourceIsOneDomain() {
        assertEquals(Optional.of("programming"), LabelMapping.bySource("openai-human-eval"));
        assertEquals(Optional.of("health"), LabelMapping.bySource("pubmedqa"));
        assertEquals(Optional.of("health"), LabelMapping.bySource("medquad"));
        assertEquals(Optional.of("education"), LabelMapping.bySource("gsm8k"));
        assertEquals(Optional.of("legal"), LabelMapping.bySource("legalbench"));
        assertEquals(Optional.of("finance"), LabelMapping.bySource("tat-qa"));
        assertEquals(Optional.of("productivity"), LabelMapping.bySource("workbench-office-tasks"));
        assertEquals(Optional.of("productivity"), LabelMapping.bySource("qmsum-meeting-queries"));
        assertEquals(Optional.of("roleplay"), LabelMapping.bySource("rolebench"));
        assertEquals(Optional.of("roleplay"), LabelMapping.bySource("chatharuhi-roleplay-zh"));
        assertEquals(Optional.of("science"), LabelMapping.bySource("scibench"));
        assertEquals(Optional.empty(), LabelMapping.bySource("mmlu-hendrycks"));
    }

    @Test
    void fastChat_should_mapBenchCategories_when_givenMtBenchOrVicunaLabels() {
        assertEquals(Optional.of("programming"), LabelMapping.fastChat("coding"));
        assertEquals(Optional.of("creative_writing"), LabelMapping.fastChat("writing"));
        assertEquals(Optional.of("science"), LabelMapping.fastChat("stem"));
        assertEquals(Optional.of("education"), LabelMapping.fastChat("math"));
        assertEquals(Optional.of("trivia"), LabelMapping.fastChat("fermi"));
        assertEquals(Optional.empty(), LabelMapping.fastChat("extraction"));
    }

    @Test
    void justEval_should_letTheTaskDecideFirst_when_tagsDisagree() {
        assertEquals(Optional.of("programming"), LabelMapping.justEval(List.of("coding", "info-seek"), List.of("finance")));
        assertEquals(Optional.of("health"), LabelMapping.justEval(List.of("info-seek"), List.of("medical")));
        assertEquals(Optional.of("trivia"), LabelMapping.justEval(List.of("info-seek"), List.of("lifestyle")));
        assertEquals(Optional.empty(), LabelMapping.justEval(List.of("info-seek"), List.of("malicious")));
    }

    @Test
    void aiShort_should_readInterpreterAsProgramming_when_tagged() {
        assertEquals(Optional.of("programming"), LabelMapping.aiShort(List.of("interpreter", "language")));
        assertEquals(Optional.of("health"), LabelMapping.aiShort(List.of("contribute", "doctor")));
        assertEquals(Optional.of("marketing"), LabelMapping.aiShort(List.of("seo")));
        assertEquals(Optional.empty(), LabelMapping.aiShort(List.of("language", "favorite")));
    }

    @Test
    void awesomePrompt_should_useTitleWordsThenDevFlag_when_mapping() {
        assertEquals(Optional.of("translation"), LabelMapping.awesomePrompt("English Translator and Improver", false));
        assertEquals(Optional.of("legal"), LabelMapping.awesomePrompt("Legal Advisor", false));
        assertEquals(Optional.of("programming"), LabelMapping.awesomePrompt("Linux Terminal", true));
        assertEquals(Optional.of("roleplay"), LabelMapping.awesomePrompt("Travel Guide", false));
    }

    @Test
    void clinc_should_sendUnselectedIntentsToOther_when_theyAreAssistantChores() {
        assertEquals(Optional.of("translation"), LabelMapping.clinc("translate"));
        assertEquals(Optional.of("finance"), LabelMapping.clinc("credit_score"));
        assertEquals(Optional.of("health"), LabelMapping.clinc("calories"));
        assertEquals(Optional.of("other"), LabelMapping.clinc("oos"));
        assertEquals(Optional.of("other"), LabelMapping.clinc("alarm"));
    }

    @Test
    void belle_should_handleTheNoBreakSpace_when_classIsClosedQa() {
        assertEquals(Optional.of("translation"), LabelMapping.belle("translation"));
        assertEquals(Optional.of("programming"), LabelMapping.belle("code"));
        assertEquals(Optional.empty(), LabelMapping.belle("closed\u00a0qa"));
    }

    @Test
    void chatBaseline_should_mapTopicFiles_when_known() {
        assertEquals(Optional.of("programming"), LabelMapping.chatBaseline("代码问题.json"));
        assertEquals(Optional.of("translation"), LabelMapping.chatBaseline("翻译问题.json"));
        assertEquals(Optional.of("technology"), LabelMapping.chatBaseline("计算机问题.json"));
        assertEquals(Optional.empty(), LabelMapping.chatBaseline("其他问题.json"));
    }

    @Test
    void gaokaoAndTheoremQa_should_splitScienceFromEducation_when_bySubject() {
        assertEquals(Optional.of("science"), LabelMapping.gaokao("physics"));
        assertEquals(Optional.of("education"), LabelMapping.gaokao("mathqa"));
        assertEquals(Optional.of("technology"), LabelMapping.theoremQa("EECS"));
        assertEquals(Optional.of("finance"), LabelMapping.theoremQa("Finance"));
    }

    @Test
    void writingBench_should_useSubdomainExceptions_when_domainIsMixed() {
        assertEquals(Optional.of("finance"), LabelMapping.writingBench("Finance & Business", "Investment Analysis"));
        assertEquals(Optional.of("productivity"), LabelMapping.writingBench("Finance & Business", "Meeting Minutes"));
        assertEquals(Optional.of("legal"), LabelMapping.writingBench("Politics & Law", "Legal Opinion"));
        assertEquals(Optional.of("productivity"), LabelMapping.writingBench("Politics & Law", "Government Speech"));
        assertEquals(Optional.of("technology"), LabelMapping.writingBench("Academic & Engineering", "Patent"));
        assertEquals(Optional.of("creative_writing"), LabelMapping.writingBench("Literature & Arts", "Poetry"));
    }

    @Test
    void mmlu_should_mapSubjects_when_givenTheFileSubject() {
        assertEquals(Optional.of("programming"), LabelMapping.mmlu("college_computer_science"));
        assertEquals(Optional.of("technology"), LabelMapping.mmlu("computer_security"));
        assertEquals(Optional.of("health"), LabelMapping.mmlu("virology"));
        assertEquals(Optional.of("marketing"), LabelMapping.mmlu("public_relations"));
        assertEquals(Optional.of("education"), LabelMapping.mmlu("high_school_world_history"));
        assertEquals(Optional.of("trivia"), LabelMapping.mmlu("global_facts"));
    }

    @Test
    void seed_should_rejectUnknownCategories_when_misspelt() {
        assertEquals(Optional.of("adult"), LabelMapping.seed("adult"));
        assertEquals(Optional.empty(), LabelMapping.seed("coding"));
    }
}
