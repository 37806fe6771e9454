package dev.lddm.tasks.arith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lddm.tasks.Verdict;
import dev.lddm.tasks.Verification;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VerifierTest {
  @ParameterizedTest(name = "{0} | {1} | {2} -> {3}")
  @CsvSource(delimiter = '|', textBlock = """
      # puzzle          | rules     | answer                                  | verdict
      86,28,13,31,96    | COUNTDOWN | 86+28=114,31-13=18,114-18=96            | CORRECT
      86,28,13,31,96    | COUNTDOWN | ' 86 + 28 = 114 , 31-13=18,114-18=96 '  | CORRECT
      86,28,13,31,96    | COUNTDOWN | (86+28)-(31-13)                         | CORRECT
      86,28,13,31,96    | COUNTDOWN | (86+28)-(31-13)=96                      | CORRECT
      3,3,8,8,24        | RATIONAL  | 8/(3-8/3)                               | CORRECT
      3,3,8,8,24        | RATIONAL  | 8/(3-8/3)=24                            | CORRECT
      3,3,8,8,24        | COUNTDOWN | 8/(3-8/3)                               | INVALID_STEP
      1,5,5,5,24        | RATIONAL  | (5-1/5)*5                               | CORRECT
      1,2,3,4,24        | RATIONAL  | (1-2+3)*4*3                             | WRONG_NUMBERS
      1,2,3,4,24        | RATIONAL  | (1-2)*(3-4)*24                          | WRONG_NUMBERS
      1,2,3,4,24        | RATIONAL  | (1-2)*(3-4)                             | WRONG_VALUE
      1,2,3,4,1         | RATIONAL  | (1-2)*(3-4)                             | CORRECT
      1,2,3,4,1         | COUNTDOWN | (1-2)*(3-4)                             | INVALID_STEP
      # reuse a number
      86,28,13,31,96    | COUNTDOWN | 86+28=114,31-13=18,114-18=96,13+0=13    | WRONG_NUMBERS
      86,28,13,31,96    | COUNTDOWN | 86+28=114,31-28=3,114-18=96             | WRONG_NUMBERS
      # skip a number
      86,28,13,31,96    | COUNTDOWN | 86+28=114,114-18=96                     | WRONG_NUMBERS
      86,28,13,31,96    | COUNTDOWN | 86+28=114,31-13=18                      | WRONG_NUMBERS
      # foreign number
      86,28,13,31,96    | COUNTDOWN | 86+28=114,31-12=19,114-19=95,95+1=96    | WRONG_NUMBERS
      1,2,3,6,24        | RATIONAL  | 6+6+6+6                                 | WRONG_NUMBERS
      6,6,6,6,24        | RATIONAL  | 6+6+6+6                                 | CORRECT
      # divide by zero
      5,5,7,2,7         | COUNTDOWN | 5-5=0,7/0=7,7*2=14                      | INVALID_STEP
      5,5,7,2,24        | RATIONAL  | 7/(5-5)*2                               | INVALID_STEP
      # truncating a fraction
      7,2,3,6,24        | COUNTDOWN | 7/2=3,3*6=18,18+3=21                    | INVALID_STEP
      7,2,3,6,24        | RATIONAL  | 7/2=3,3*6=18,18+6=24                    | INVALID_STEP
      7,2,3,1,24        | COUNTDOWN | 7/2=3.5                                 | MALFORMED
      # wrong arithmetic in a step
      86,28,13,31,96    | COUNTDOWN | 86+28=114,31-13=19,114-19=95            | INVALID_STEP
      # negative intermediate in Countdown
      2,5,3,10,9        | COUNTDOWN | 2-5*3+10+12                             | WRONG_NUMBERS
      2,5,3,10,9        | COUNTDOWN | (2-5)*3+10+8                            | WRONG_NUMBERS
      2,5,9,1,6         | COUNTDOWN | 2-5+9                                   | INVALID_STEP
      2,5,9,6           | RATIONAL  | 2-5+9                                   | CORRECT
      # wrong final value
      86,28,13,31,97    | COUNTDOWN | 86+28=114,31-13=18,114-18=96            | WRONG_VALUE
      # malformed
      2,3,4,1,24        | RATIONAL  | 2**3*4-1                                | MALFORMED
      2,3,4,1,24        | RATIONAL  | 2*3*4.0*1                               | MALFORMED
      2,3,4,1,24        | RATIONAL  | -2+3*4*1*2                              | MALFORMED
      2,3,4,1,24        | RATIONAL  | 2*(-3)                                  | MALFORMED
      2,3,4,1,24        | RATIONAL  | 2*3*4*x                                 | MALFORMED
      2,3,4,1,24        | RATIONAL  | ((2*3)*4*1                              | MALFORMED
      2,3,4,1,24        | RATIONAL  | (2*3)*4*1)                              | MALFORMED
      2,3,4,1,24        | RATIONAL  | ''                                      | MALFORMED
      2,3,4,1,24        | RATIONAL  | 2*3*4*01                                | MALFORMED
      2,3,4,1,24        | RATIONAL  | 2*3=6,6*4                               | MALFORMED
      2,3,4,1,24        | RATIONAL  | 2*3=6,,6*4=24                           | MALFORMED
      2,3,4,1,24        | RATIONAL  | 2 3*4*1                                 | MALFORMED
      2,3,4,1,24        | RATIONAL  | 2*3=6=6                                 | MALFORMED
      2,3,4,1,24        | RATIONAL  | 2*3*4*1=-24                             | MALFORMED
      2,3,4,1,24        | RATIONAL  | ()2*3*4*1                               | MALFORMED
      """)
  void verdicts(String input, Rules rules, String answer, Verdict expected) {
    Verification v = Verifier.verify(NumberPuzzle.parse(input), answer, rules);
    assertEquals(expected, v.verdict(), () -> v.toString());
    assertEquals(expected.isCorrect(), v.detail().isEmpty(), v::toString);
  }

  @Test
  void detailsAreShortAndHelpful() {
    NumberPuzzle p = NumberPuzzle.parse("86,28,13,31,96");
    assertEquals("step 2: 31-13=19 but 31-13=18",
        Verifier.verify(p, "86+28=114,31-13=19,114-19=95", Rules.COUNTDOWN).detail());
    assertEquals("number 6 used 2 times, given 1",
        Verifier.verify(NumberPuzzle.parse("1,2,3,6,24"), "6+6+6+6", Rules.RATIONAL).detail());
    assertEquals("number 7 is not in the puzzle",
        Verifier.verify(NumberPuzzle.parse("1,2,3,6,24"), "7+1+2+3", Rules.RATIONAL).detail());
    assertEquals("unused: 13, 31",
        Verifier.verify(p, "86+28=114", Rules.COUNTDOWN).detail());
    assertEquals("step 1: 7/2=7/2 is not an integer",
        Verifier.verify(NumberPuzzle.parse("7,2,3,6,24"), "7/2=3,3*6=18,18+6=24", Rules.COUNTDOWN).detail());
    assertEquals("value 23, target 24",
        Verifier.verify(NumberPuzzle.parse("5,4,3,1,24"), "5*4+3*1", Rules.RATIONAL).detail());
    assertEquals("step 1: division by zero in 7/0",
        Verifier.verify(NumberPuzzle.parse("7,0,3,6,24"), "7/0=1,1+3=4,4*6=24", Rules.RATIONAL).detail());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      86,28,13,31,96 | 86+28=114,31-13=18,114-18=96 | true
      86,28,13,31,96 | 86+28=114,114-18=96          | true
      86,28,13,31,96 | 1+1=2,2*48=96                | true
      86,28,13,31,96 | 86+28=114,31-13=19,114-18=96 | false
      86,28,13,31,96 | 86+28=114,31-13=18,114-18=96,| false
      86,28,13,31,96 | 86+28=114,31-13=18,114-18=096| false
      86,28,13,31,96 | 86+28+0=114,114-18=96        | true
      86,28,13,31,96 | 86+28=114,31-13=18,96        | false
      86,28,13,31,96 | 86+28=114.0,114-18=96        | true
      7,2,3,6,24     | 7/2=3.5,3.5*6=21             | false
      7,2,3,6,21     | 7/2=3.5,3*7=21               | true
      7,2,3,6,21     | 7/2=3,3*7=21                 | false
      7,2,3,6,24     | 4*6=24,1/0=1,                | false
      3,3,8,8,24     | 8/(3-8/3)=24                 | false
      3,3,8,8,24     | =24                          | false
      3,3,8,8,24     | ''                           | false
      """)
  void lenientMirrorsMgdm(String input, String answer, boolean expected) {
    assertEquals(expected, Verifier.lenientCorrect(NumberPuzzle.parse(input), answer));
  }

  @Test
  void hostileInputsGetAVerdict() {
    NumberPuzzle p = NumberPuzzle.parse("86,28,13,31,96");
    List<String> hostile = List.of(
        "1+".repeat(50_000),
        "9".repeat(100_000),
        "(".repeat(20_000) + "86" + ")".repeat(20_000),
        "(".repeat(20_000) + "86+28-13-31+5" + ")".repeat(20_000),
        "(".repeat(20_000) + "86",
        "123456789012345678901234567890*123456789012345678901234567890",
        "86*28=2408,2408*2408=5798464," + "5798464*5798464=33622184749696,".repeat(3000),
        "86+28=114,".repeat(10_000),
        "=".repeat(100_000),
        ",".repeat(100_000),
        "\u0000\uffff\ud800" + "x".repeat(99_990));
    for (String answer : hostile) {
      for (Rules rules : Rules.values()) {
        assertNotNull(Verifier.verify(p, answer, rules));
      }
      Verifier.lenientCorrect(p, answer);
    }
    assertEquals(Verifier.WRONG_NUMBERS, Verifier.verify(p, "123456789012345678901234567890", Rules.RATIONAL).verdict());
    assertFalse(Verifier.lenientCorrect(p, "(".repeat(20_000) + "86+10" + ")".repeat(20_000) + "=96"));
    assertTrue(Verifier.verify(p, "(".repeat(20_000) + "86+28-(31-13)" + ")".repeat(20_000), Rules.COUNTDOWN)
        .isCorrect());
  }

  @Property(tries = 300)
  void neverThrows(@ForAll("answers") String answer) {
    NumberPuzzle p = NumberPuzzle.parse("4,6,8,3,24");
    for (Rules rules : Rules.values()) {
      assertNotNull(Verifier.verify(p, answer, rules));
    }
    Verifier.lenientCorrect(p, answer);
    Verifier.evaluate(answer);
  }

  @Provide
  Arbitrary<String> answers() {
    Arbitrary<String> tokens = Arbitraries.oneOf(
        Arbitraries.of("0", "1", "2", "3", "4", "6", "8", "24", "12", "99", "999999999999999999999"),
        Arbitraries.of("+", "-", "*", "/", "(", ")", "=", ",", " ", "**", ".", "x", "\u00e9", "\t"),
        Arbitraries.strings().ofMaxLength(3));
    return tokens.list().ofMaxSize(30).map(l -> String.join("", l));
  }
}
