package dev.tokenscope.region;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The continent of an ISO 3166-1 alpha-2 country code, as the report groups spend and tokens: Africa, Asia,
 * Europe, North America (with Central America and the Caribbean), Oceania, South America, Antarctica. Russia and
 * Turkey count as Europe, the Caucasus and Cyprus as Asia (the UN geoscheme's choices).
 */
public final class Continents {

    public static final String AFRICA = "africa";
    public static final String ASIA = "asia";
    public static final String EUROPE = "europe";
    public static final String NORTH_AMERICA = "north_america";
    public static final String OCEANIA = "oceania";
    public static final String SOUTH_AMERICA = "south_america";
    public static final String ANTARCTICA = "antarctica";

    private static final Map<String, String> BY_COUNTRY = new HashMap<>();

    static {
        put(AFRICA, "DZ AO BJ BW BF BI CV CM CF TD KM CG CD CI DJ EG GQ ER SZ ET GA GM GH GN GW KE LS LR LY MG MW ML "
                + "MR MU YT MA MZ NA NE NG RE RW SH ST SN SC SL SO ZA SS SD TZ TG TN UG EH ZM ZW IO");
        put(ASIA, "AF AM AZ BH BD BT BN KH CN CY GE HK IN ID IR IQ IL JP JO KZ KW KG LA LB MO MY MV MN MM NP KP OM "
                + "PK PS PH QA SA SG KR LK SY TW TJ TH TL TM AE UZ VN YE");
        put(EUROPE, "AX AL AD AT BY BE BA BG HR CZ DK EE FO FI FR DE GI GR GG HU IS IE IM IT JE XK LV LI LT LU MT MD "
                + "MC ME NL MK NO PL PT RO RU SM RS SK SI ES SJ SE CH TR UA GB VA");
        put(NORTH_AMERICA, "AI AG AW BS BB BZ BM BQ VG CA KY CR CU CW DM DO SV GL GD GP GT HT HN JM MQ MX MS NI PA PR "
                + "BL KN LC MF PM VC SX TT TC US VI UM");
        put(SOUTH_AMERICA, "AR BO BR CL CO EC FK GF GY PY PE SR UY VE GS");
        put(OCEANIA, "AS AU CK FJ PF GU KI MH FM NR NC NZ NU NF MP PW PG PN WS SB TK TO TV VU WF CX CC HM");
        put(ANTARCTICA, "AQ BV TF");
    }

    private Continents() {
    }

    private static void put(String continent, String countries) {
        for (String country : countries.split(" ")) {
            if (BY_COUNTRY.put(country, continent) != null) {
                throw new IllegalStateException("country " + country + " is on two continents");
            }
        }
    }

    /** The continent of a country code (any case); empty for a code that is not a country. */
    public static Optional<String> of(String country) {
        return Optional.ofNullable(BY_COUNTRY.get(country.trim().toUpperCase(Locale.ROOT)));
    }

    static int size() {
        return BY_COUNTRY.size();
    }
}
