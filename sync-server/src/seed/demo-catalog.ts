/**
 * The demo catalog: about 200 things a Pakistani kiryana store sells, with
 * their Urdu names. Each line is a product family in the sizes shops stock;
 * prices are retail PKR for late 2026, rounded as shops round them.
 */
export type DemoCategory =
  | 'flour-grains'
  | 'pulses'
  | 'rice'
  | 'oil-ghee'
  | 'spices'
  | 'tea-beverages'
  | 'dairy'
  | 'snacks'
  | 'biscuits'
  | 'sugar-salt'
  | 'personal-care'
  | 'household'
  | 'baby'
  | 'bakery'
  | 'condiments';

export interface DemoProduct {
  sku: string;
  barcode: string;
  nameEn: string;
  nameUr: string;
  category: DemoCategory;
  unit: 'piece' | 'kg' | 'litre' | 'dozen' | 'pack';
  packSize: number;
  defaultPrice: number;
}

type Unit = DemoProduct['unit'];
/** [size label in English, in Urdu, price, units per carton] */
type Size = readonly [string, string, number, number];
type Family = readonly [sku: string, nameEn: string, nameUr: string, category: DemoCategory, unit: Unit, sizes: readonly Size[]];

const families: readonly Family[] = [
  ['ATTA-SUNRIDGE', 'Sunridge Chakki Atta', 'سن رج چکی آٹا', 'flour-grains', 'pack', [['5kg', '۵ کلو', 780, 4], ['10kg', '۱۰ کلو', 1520, 2]]],
  ['ATTA-FAUJI', 'Fauji Fine Atta', 'فوجی فائن آٹا', 'flour-grains', 'pack', [['5kg', '۵ کلو', 760, 4], ['10kg', '۱۰ کلو', 1490, 2]]],
  ['ATTA-LOOSE', 'Chakki Atta (loose)', 'چکی آٹا کھلا', 'flour-grains', 'kg', [['', '', 150, 1]]],
  ['MAIDA', 'Maida', 'میدہ', 'flour-grains', 'kg', [['', '', 160, 1]]],
  ['SOOJI', 'Sooji', 'سوجی', 'flour-grains', 'kg', [['', '', 190, 1]]],
  ['BESAN', 'Besan', 'بیسن', 'flour-grains', 'kg', [['', '', 420, 1]]],
  ['DALIA', 'Dalia', 'دلیہ', 'flour-grains', 'pack', [['500g', 'آدھا کلو', 180, 12]]],
  ['CORNFLAKES-FAMILIA', 'Fauji Corn Flakes', 'فوجی کارن فلیکس', 'flour-grains', 'pack', [['250g', '۲۵۰ گرام', 390, 12], ['500g', '۵۰۰ گرام', 720, 12]]],
  ['DAAL-MASOOR', 'Daal Masoor', 'دال مسور', 'pulses', 'kg', [['', '', 330, 1]]],
  ['DAAL-MOONG', 'Daal Moong', 'دال مونگ', 'pulses', 'kg', [['', '', 360, 1]]],
  ['DAAL-CHANA', 'Daal Chana', 'دال چنا', 'pulses', 'kg', [['', '', 310, 1]]],
  ['DAAL-MASH', 'Daal Mash', 'دال ماش', 'pulses', 'kg', [['', '', 520, 1]]],
  ['CHANA-SAFAID', 'Safaid Chana', 'سفید چنے', 'pulses', 'kg', [['', '', 440, 1]]],
  ['CHANA-KALA', 'Kala Chana', 'کالے چنے', 'pulses', 'kg', [['', '', 300, 1]]],
  ['LOBIA', 'Lobia', 'لوبیا', 'pulses', 'kg', [['', '', 480, 1]]],
  ['RAJMAH', 'Rajmah', 'راجماہ', 'pulses', 'kg', [['', '', 560, 1]]],
  ['RICE-BASMATI', 'Basmati Rice Super Kernel', 'باسمتی چاول سپر کرنل', 'rice', 'kg', [['', '', 420, 1]]],
  ['RICE-SELLA', 'Sella Rice', 'سیلا چاول', 'rice', 'kg', [['', '', 360, 1]]],
  ['RICE-TOTA', 'Tota Rice', 'ٹوٹا چاول', 'rice', 'kg', [['', '', 210, 1]]],
  ['RICE-GUARD', 'Guard Basmati Rice', 'گارڈ باسمتی چاول', 'rice', 'pack', [['1kg', '۱ کلو', 560, 10], ['5kg', '۵ کلو', 2700, 2]]],
  ['OIL-DALDA', 'Dalda Cooking Oil', 'ڈالڈا کوکنگ آئل', 'oil-ghee', 'pack', [['1L', '۱ لیٹر', 640, 12], ['3L', '۳ لیٹر', 1880, 4], ['5L', '۵ لیٹر', 3100, 4]]],
  ['OIL-HABIB', 'Habib Cooking Oil', 'حبیب کوکنگ آئل', 'oil-ghee', 'pack', [['1L', '۱ لیٹر', 620, 12], ['5L', '۵ لیٹر', 3020, 4]]],
  ['OIL-SUFI', 'Sufi Canola Oil', 'صوفی کینولا آئل', 'oil-ghee', 'pack', [['1L', '۱ لیٹر', 660, 12], ['3L', '۳ لیٹر', 1940, 4]]],
  ['OIL-EVA', 'Eva Sunflower Oil', 'ایوا سن فلاور آئل', 'oil-ghee', 'pack', [['1L', '۱ لیٹر', 650, 12]]],
  ['GHEE-DALDA', 'Dalda Banaspati Ghee', 'ڈالڈا بناسپتی گھی', 'oil-ghee', 'pack', [['1kg', '۱ کلو', 610, 12], ['2.5kg', 'ڈھائی کلو', 1500, 6], ['5kg', '۵ کلو', 2960, 4]]],
  ['GHEE-HABIB', 'Habib Banaspati Ghee', 'حبیب بناسپتی گھی', 'oil-ghee', 'pack', [['1kg', '۱ کلو', 590, 12], ['5kg', '۵ کلو', 2880, 4]]],
  ['GHEE-MEEZAN', 'Meezan Ghee', 'میزان گھی', 'oil-ghee', 'pack', [['1kg', '۱ کلو', 570, 12]]],
  ['OIL-MUSTARD', 'Mustard Oil', 'سرسوں کا تیل', 'oil-ghee', 'litre', [['', '', 720, 1]]],
  ['SHAN-BIRYANI', 'Shan Biryani Masala', 'شان بریانی مصالحہ', 'spices', 'pack', [['50g', '۵۰ گرام', 140, 72], ['Double', 'ڈبل', 260, 36]]],
  ['SHAN-KORMA', 'Shan Korma Masala', 'شان قورمہ مصالحہ', 'spices', 'pack', [['50g', '۵۰ گرام', 130, 72]]],
  ['SHAN-NIHARI', 'Shan Nihari Masala', 'شان نہاری مصالحہ', 'spices', 'pack', [['60g', '۶۰ گرام', 140, 72]]],
  ['SHAN-TIKKA', 'Shan Tikka Masala', 'شان تکہ مصالحہ', 'spices', 'pack', [['50g', '۵۰ گرام', 130, 72]]],
  ['NATIONAL-BIRYANI', 'National Biryani Masala', 'نیشنل بریانی مصالحہ', 'spices', 'pack', [['45g', '۴۵ گرام', 120, 72]]],
  ['NATIONAL-KARAHI', 'National Karahi Masala', 'نیشنل کڑاہی مصالحہ', 'spices', 'pack', [['50g', '۵۰ گرام', 120, 72]]],
  ['NATIONAL-CHAAT', 'National Chaat Masala', 'نیشنل چاٹ مصالحہ', 'spices', 'pack', [['100g', '۱۰۰ گرام', 210, 48]]],
  ['MIRCH-LAL', 'Red Chilli Powder', 'لال مرچ پسی', 'spices', 'pack', [['200g', '۲۰۰ گرام', 320, 24], ['400g', '۴۰۰ گرام', 610, 24]]],
  ['HALDI', 'Haldi Powder', 'ہلدی پسی', 'spices', 'pack', [['200g', '۲۰۰ گرام', 240, 24]]],
  ['DHANIYA', 'Dhaniya Powder', 'دھنیا پسا', 'spices', 'pack', [['200g', '۲۰۰ گرام', 220, 24]]],
  ['GARAM-MASALA', 'Garam Masala Powder', 'گرم مصالحہ پسا', 'spices', 'pack', [['100g', '۱۰۰ گرام', 290, 24]]],
  ['ZEERA', 'Zeera (whole)', 'زیرہ ثابت', 'spices', 'pack', [['100g', '۱۰۰ گرام', 260, 24]]],
  ['KALI-MIRCH', 'Kali Mirch (whole)', 'کالی مرچ ثابت', 'spices', 'pack', [['50g', '۵۰ گرام', 230, 24]]],
  ['TAPAL-DANEDAR', 'Tapal Danedar Tea', 'ٹپال دانے دار چائے', 'tea-beverages', 'pack', [['95g', '۹۵ گرام', 360, 48], ['475g', '۴۷۵ گرام', 1650, 12], ['900g', '۹۰۰ گرام', 3100, 12]]],
  ['TAPAL-FAMILY', 'Tapal Family Mixture', 'ٹپال فیملی مکسچر', 'tea-beverages', 'pack', [['190g', '۱۹۰ گرام', 640, 24]]],
  ['LIPTON-YELLOW', 'Lipton Yellow Label', 'لپٹن ییلو لیبل', 'tea-beverages', 'pack', [['190g', '۱۹۰ گرام', 680, 24], ['475g', '۴۷۵ گرام', 1690, 12]]],
  ['VITAL-TEA', 'Vital Tea', 'وائٹل چائے', 'tea-beverages', 'pack', [['190g', '۱۹۰ گرام', 620, 24]]],
  ['GREEN-TEA-TAPAL', 'Tapal Green Tea (30 bags)', 'ٹپال گرین ٹی ۳۰ ٹی بیگ', 'tea-beverages', 'pack', [['', '', 340, 24]]],
  ['NESCAFE-CLASSIC', 'Nescafe Classic', 'نیسکیفے کلاسک', 'tea-beverages', 'piece', [['50g', '۵۰ گرام', 720, 24]]],
  ['ROOH-AFZA', 'Rooh Afza', 'روح افزا', 'tea-beverages', 'piece', [['800ml', '۸۰۰ ملی لیٹر', 540, 12]]],
  ['JAM-E-SHIRIN', 'Jam-e-Shirin', 'جامِ شیریں', 'tea-beverages', 'piece', [['800ml', '۸۰۰ ملی لیٹر', 520, 12]]],
  ['TANG-ORANGE', 'Tang Orange', 'ٹینگ اورنج', 'tea-beverages', 'pack', [['375g', '۳۷۵ گرام', 690, 12]]],
  ['PAKOLA', 'Pakola Ice Cream Soda', 'پاکولا آئس کریم سوڈا', 'tea-beverages', 'piece', [['345ml', '۳۴۵ ملی لیٹر', 90, 24], ['1.5L', 'ڈیڑھ لیٹر', 230, 6]]],
  ['PEPSI', 'Pepsi', 'پیپسی', 'tea-beverages', 'piece', [['345ml', '۳۴۵ ملی لیٹر', 100, 24], ['1.5L', 'ڈیڑھ لیٹر', 220, 6], ['2.25L', 'سوا دو لیٹر', 290, 6]]],
  ['COKE', 'Coca-Cola', 'کوکا کولا', 'tea-beverages', 'piece', [['345ml', '۳۴۵ ملی لیٹر', 100, 24], ['1.5L', 'ڈیڑھ لیٹر', 220, 6]]],
  ['SHEZAN-MANGO', 'Shezan Mango Juice', 'شیزان مینگو جوس', 'tea-beverages', 'piece', [['250ml', '۲۵۰ ملی لیٹر', 70, 24], ['1L', '۱ لیٹر', 280, 12]]],
  ['NESTLE-WATER', 'Nestle Pure Life Water', 'نیسلے پیور لائف پانی', 'tea-beverages', 'piece', [['500ml', '۵۰۰ ملی لیٹر', 60, 24], ['1.5L', 'ڈیڑھ لیٹر', 110, 6]]],
  ['OLPERS-MILK', 'Olpers Milk', 'اولپرز دودھ', 'dairy', 'piece', [['250ml', '۲۵۰ ملی لیٹر', 95, 27], ['1L', '۱ لیٹر', 330, 12], ['1.5L', 'ڈیڑھ لیٹر', 480, 12]]],
  ['MILKPAK', 'Nestle Milkpak', 'نیسلے ملک پیک', 'dairy', 'piece', [['250ml', '۲۵۰ ملی لیٹر', 95, 27], ['1L', '۱ لیٹر', 330, 12]]],
  ['HALEEB-MILK', 'Haleeb Milk', 'حلیب دودھ', 'dairy', 'piece', [['1L', '۱ لیٹر', 310, 12]]],
  ['TARANG', 'Tarang Tea Whitener', 'ترنگ ٹی وائٹنر', 'dairy', 'piece', [['250ml', '۲۵۰ ملی لیٹر', 80, 27], ['1L', '۱ لیٹر', 270, 12]]],
  ['NURPUR-BUTTER', 'Nurpur Butter', 'نورپور مکھن', 'dairy', 'piece', [['100g', '۱۰۰ گرام', 260, 40], ['200g', '۲۰۰ گرام', 500, 20]]],
  ['ADAMS-CHEESE', 'Adams Cheddar Cheese', 'ایڈمز چیڈر پنیر', 'dairy', 'piece', [['200g', '۲۰۰ گرام', 780, 20]]],
  ['DAHI', 'Dahi (loose)', 'دہی کھلا', 'dairy', 'kg', [['', '', 260, 1]]],
  ['EGGS', 'Eggs', 'انڈے', 'dairy', 'dozen', [['', '', 330, 30]]],
  ['NIDO', 'Nestle Nido', 'نیسلے نیڈو', 'dairy', 'pack', [['390g', '۳۹۰ گرام', 1150, 12], ['900g', '۹۰۰ گرام', 2550, 12]]],
  ['LAYS-SALTED', 'Lays Classic Salted', 'لیز کلاسک نمکین', 'snacks', 'pack', [['Rs 50', '۵۰ روپے', 50, 48], ['Rs 100', '۱۰۰ روپے', 100, 24]]],
  ['LAYS-MASALA', 'Lays French Cheese', 'لیز فرنچ چیز', 'snacks', 'pack', [['Rs 50', '۵۰ روپے', 50, 48], ['Rs 100', '۱۰۰ روپے', 100, 24]]],
  ['KURKURE', 'Kurkure Chutney Chaska', 'کرکرے چٹنی چسکا', 'snacks', 'pack', [['Rs 30', '۳۰ روپے', 30, 72], ['Rs 60', '۶۰ روپے', 60, 36]]],
  ['SUPER-CRISP', 'Super Crisp BBQ', 'سپر کرسپ باربی کیو', 'snacks', 'pack', [['Rs 30', '۳۰ روپے', 30, 72]]],
  ['SLANTY', 'Slanty Salt', 'سلانٹی سالٹ', 'snacks', 'pack', [['Rs 20', '۲۰ روپے', 20, 96]]],
  ['NIMCO-MIX', 'Mixed Nimco', 'مکس نمکو', 'snacks', 'kg', [['', '', 900, 1]]],
  ['DALMOTH', 'Dalmoth', 'دال موٹھ', 'snacks', 'pack', [['200g', '۲۰۰ گرام', 260, 24]]],
  ['CANDY-CHOCOLATO', 'Chocolato', 'چاکلیٹو', 'snacks', 'piece', [['', '', 10, 144]]],
  ['DAIRY-MILK', 'Cadbury Dairy Milk', 'کیڈبری ڈیری ملک', 'snacks', 'piece', [['Rs 100', '۱۰۰ روپے', 100, 48], ['Rs 250', '۲۵۰ روپے', 250, 24]]],
  ['SOOPER', 'Peek Freans Sooper', 'پیک فریانز سوپر', 'biscuits', 'pack', [['Snack pack', 'سنیک پیک', 30, 48], ['Family pack', 'فیملی پیک', 140, 24]]],
  ['PRINCE', 'LU Prince', 'ایل یو پرنس', 'biscuits', 'pack', [['Snack pack', 'سنیک پیک', 30, 48], ['Family pack', 'فیملی پیک', 140, 24]]],
  ['GALA', 'Peek Freans Gala', 'پیک فریانز گالا', 'biscuits', 'pack', [['Snack pack', 'سنیک پیک', 30, 48]]],
  ['TUC', 'LU Tuc', 'ایل یو ٹک', 'biscuits', 'pack', [['Snack pack', 'سنیک پیک', 30, 48], ['Family pack', 'فیملی پیک', 130, 24]]],
  ['CAKE-UP', 'Peek Freans Cake Up', 'پیک فریانز کیک اپ', 'biscuits', 'pack', [['', '', 40, 48]]],
  ['CANDI', 'LU Candi', 'ایل یو کینڈی', 'biscuits', 'pack', [['Snack pack', 'سنیک پیک', 30, 48]]],
  ['RIO', 'Bisconni Rio', 'بسکونی ریو', 'biscuits', 'pack', [['', '', 30, 48]]],
  ['ZEERA-PLUS', 'LU Zeera Plus', 'ایل یو زیرہ پلس', 'biscuits', 'pack', [['Family pack', 'فیملی پیک', 140, 24]]],
  ['SUGAR', 'Sugar (loose)', 'چینی کھلی', 'sugar-salt', 'kg', [['', '', 170, 1]]],
  ['SUGAR-PACK', 'Sugar Packed', 'چینی پیکٹ', 'sugar-salt', 'pack', [['1kg', '۱ کلو', 185, 20], ['5kg', '۵ کلو', 900, 4]]],
  ['GUR', 'Gur', 'گڑ', 'sugar-salt', 'kg', [['', '', 280, 1]]],
  ['SALT-NATIONAL', 'National Iodized Salt', 'نیشنل آیوڈین نمک', 'sugar-salt', 'pack', [['800g', '۸۰۰ گرام', 75, 25]]],
  ['SALT-PINK', 'Himalayan Pink Salt', 'ہمالیائی گلابی نمک', 'sugar-salt', 'pack', [['800g', '۸۰۰ گرام', 140, 25]]],
  ['LIFEBUOY', 'Lifebuoy Soap', 'لائف بوائے صابن', 'personal-care', 'piece', [['98g', '۹۸ گرام', 120, 72], ['140g', '۱۴۰ گرام', 160, 48]]],
  ['SAFEGUARD', 'Safeguard Soap', 'سیف گارڈ صابن', 'personal-care', 'piece', [['95g', '۹۵ گرام', 140, 72]]],
  ['LUX', 'Lux Soap', 'لکس صابن', 'personal-care', 'piece', [['98g', '۹۸ گرام', 130, 72], ['140g', '۱۴۰ گرام', 175, 48]]],
  ['CAPRI', 'Capri Soap', 'کیپری صابن', 'personal-care', 'piece', [['100g', '۱۰۰ گرام', 120, 72]]],
  ['SUNSILK', 'Sunsilk Shampoo', 'سن سلک شیمپو', 'personal-care', 'piece', [['Sachet', 'ساشے', 10, 288], ['180ml', '۱۸۰ ملی لیٹر', 420, 24], ['360ml', '۳۶۰ ملی لیٹر', 780, 12]]],
  ['HEAD-SHOULDERS', 'Head & Shoulders Shampoo', 'ہیڈ اینڈ شولڈرز شیمپو', 'personal-care', 'piece', [['Sachet', 'ساشے', 15, 288], ['185ml', '۱۸۵ ملی لیٹر', 560, 24]]],
  ['COLGATE', 'Colgate Toothpaste', 'کولگیٹ ٹوتھ پیسٹ', 'personal-care', 'piece', [['70g', '۷۰ گرام', 180, 72], ['150g', '۱۵۰ گرام', 340, 48]]],
  ['SENSODYNE', 'Sensodyne Toothpaste', 'سینسوڈائن ٹوتھ پیسٹ', 'personal-care', 'piece', [['70g', '۷۰ گرام', 520, 48]]],
  ['TOOTHBRUSH', 'Colgate Toothbrush', 'کولگیٹ ٹوتھ برش', 'personal-care', 'piece', [['', '', 120, 144]]],
  ['GILLETTE', 'Gillette Blue II Razor', 'جیلیٹ بلیو ٹو ریزر', 'personal-care', 'piece', [['', '', 90, 144]]],
  ['FAIR-LOVELY', 'Glow & Lovely Cream', 'گلو اینڈ لولی کریم', 'personal-care', 'piece', [['50g', '۵۰ گرام', 330, 48]]],
  ['DETTOL', 'Dettol Antiseptic', 'ڈیٹول اینٹی سیپٹک', 'personal-care', 'piece', [['250ml', '۲۵۰ ملی لیٹر', 460, 24]]],
  ['SURF-EXCEL', 'Surf Excel', 'سرف ایکسل', 'household', 'pack', [['Rs 20', '۲۰ روپے', 20, 144], ['500g', '۵۰۰ گرام', 390, 24], ['1kg', '۱ کلو', 760, 12]]],
  ['ARIEL', 'Ariel', 'ایریل', 'household', 'pack', [['500g', '۵۰۰ گرام', 420, 24], ['1kg', '۱ کلو', 820, 12]]],
  ['BONUS', 'Bonus Tristar', 'بونس ٹرائی اسٹار', 'household', 'pack', [['1kg', '۱ کلو', 420, 12]]],
  ['VIM-BAR', 'Vim Dishwash Bar', 'وِم برتن دھونے کی ٹکیہ', 'household', 'piece', [['Rs 30', '۳۰ روپے', 30, 96], ['Rs 60', '۶۰ روپے', 60, 48]]],
  ['VIM-LIQUID', 'Vim Dishwash Liquid', 'وِم ڈش واش لیکوئڈ', 'household', 'piece', [['250ml', '۲۵۰ ملی لیٹر', 230, 24], ['500ml', '۵۰۰ ملی لیٹر', 430, 24]]],
  ['HARPIC', 'Harpic Toilet Cleaner', 'ہارپک ٹوائلٹ کلینر', 'household', 'piece', [['500ml', '۵۰۰ ملی لیٹر', 390, 24]]],
  ['MORTEIN', 'Mortein Coil', 'مورٹین کوائل', 'household', 'pack', [['', '', 170, 48]]],
  ['MATCHBOX', 'Matchbox', 'ماچس', 'household', 'pack', [['10 boxes', '۱۰ ڈبیاں', 60, 50]]],
  ['CANDLES', 'Candles', 'موم بتیاں', 'household', 'pack', [['6 pcs', '۶ عدد', 120, 40]]],
  ['BATTERY-AA', 'Eveready AA Battery', 'ایوریڈی اے اے سیل', 'household', 'pack', [['2 pcs', '۲ عدد', 140, 40]]],
  ['TISSUE-ROSE', 'Rose Petal Tissue', 'روز پیٹل ٹشو', 'household', 'pack', [['', '', 190, 36]]],
  ['PAMPERS', 'Pampers Baby Dry', 'پیمپرز بے بی ڈرائی', 'baby', 'pack', [['Small', 'چھوٹا', 1750, 6], ['Medium', 'درمیانہ', 2100, 6], ['Large', 'بڑا', 2400, 6]]],
  ['MOLFIX', 'Molfix Diapers', 'مولفکس ڈائپرز', 'baby', 'pack', [['Medium', 'درمیانہ', 1650, 6], ['Large', 'بڑا', 1900, 6]]],
  ['CERELAC', 'Nestle Cerelac Wheat', 'نیسلے سیریلیک گندم', 'baby', 'pack', [['175g', '۱۷۵ گرام', 560, 24]]],
  ['LACTOGEN', 'Nestle Lactogen 1', 'نیسلے لیکٹوجن ۱', 'baby', 'pack', [['400g', '۴۰۰ گرام', 2650, 12]]],
  ['BABY-WIPES', 'Canbebe Baby Wipes', 'کین بی بی وائپس', 'baby', 'pack', [['', '', 380, 24]]],
  ['BREAD-DAWN', 'Dawn Bread', 'ڈان بریڈ', 'bakery', 'piece', [['Small', 'چھوٹی', 130, 20], ['Large', 'بڑی', 220, 20]]],
  ['RUSK', 'Bake Parlor Rusk', 'بیک پارلر رس', 'bakery', 'pack', [['', '', 210, 24]]],
  ['BUN', 'Bun', 'بن', 'bakery', 'pack', [['4 pcs', '۴ عدد', 120, 20]]],
  ['PAPE', 'Cake Rusk (Papay)', 'پاپے', 'bakery', 'pack', [['', '', 180, 24]]],
  ['KETCHUP-NATIONAL', 'National Ketchup', 'نیشنل کیچپ', 'condiments', 'piece', [['300g', '۳۰۰ گرام', 260, 24], ['800g', '۸۰۰ گرام', 560, 12]]],
  ['KETCHUP-MITCHELLS', "Mitchell's Ketchup", 'مچلز کیچپ', 'condiments', 'piece', [['800g', '۸۰۰ گرام', 540, 12]]],
  ['MAYO-YOUNGS', "Young's Mayonnaise", 'ینگز مایونیز', 'condiments', 'piece', [['500ml', '۵۰۰ ملی لیٹر', 590, 12]]],
  ['ACHAR-SHAN', 'Shan Mixed Pickle', 'شان مکس اچار', 'condiments', 'piece', [['400g', '۴۰۰ گرام', 420, 12]]],
  ['JAM-MITCHELLS', "Mitchell's Mixed Fruit Jam", 'مچلز مکس فروٹ جیم', 'condiments', 'piece', [['450g', '۴۵۰ گرام', 560, 12]]],
  ['VINEGAR', 'White Vinegar', 'سفید سرکہ', 'condiments', 'piece', [['800ml', '۸۰۰ ملی لیٹر', 180, 12]]],
  ['CUSTARD-RAFHAN', 'Rafhan Custard', 'رفحان کسٹرڈ', 'condiments', 'pack', [['300g', '۳۰۰ گرام', 360, 24]]],
  ['JELLY-RAFHAN', 'Rafhan Jelly', 'رفحان جیلی', 'condiments', 'pack', [['80g', '۸۰ گرام', 150, 48]]],
  ['NOODLES-KNORR', 'Knorr Chicken Noodles', 'نور چکن نوڈلز', 'condiments', 'pack', [['Single', 'سنگل', 70, 48], ['Family', 'فیملی', 280, 12]]],
  ['MAGGI', 'Maggi Masala Noodles', 'میگی مصالحہ نوڈلز', 'condiments', 'pack', [['Single', 'سنگل', 70, 48]]],
  ['VERMICELLI', 'Bake Parlor Vermicelli', 'بیک پارلر سویاں', 'flour-grains', 'pack', [['150g', '۱۵۰ گرام', 90, 48]]],
  ['MACARONI', 'Bake Parlor Macaroni', 'بیک پارلر میکرونی', 'flour-grains', 'pack', [['400g', '۴۰۰ گرام', 230, 24]]],
  ['HONEY', 'Marhaba Honey', 'مرحبا شہد', 'condiments', 'piece', [['250g', '۲۵۰ گرام', 620, 24]]],
  ['DATES', 'Dates (Khajoor)', 'کھجور', 'snacks', 'kg', [['', '', 900, 1]]],
  ['CHILLI-GREEN', 'Green Chillies', 'ہری مرچ', 'spices', 'kg', [['', '', 320, 1]]],
  ['ADRAK-LEHSAN', 'Ginger Garlic Paste', 'ادرک لہسن پیسٹ', 'condiments', 'piece', [['300g', '۳۰۰ گرام', 260, 24]]],
  ['IMLI-CHUTNEY', 'Shan Imli Chutney', 'شان املی چٹنی', 'condiments', 'piece', [['300g', '۳۰۰ گرام', 240, 24]]],
  ['KASHMIRI-CHAI', 'Kashmiri Chai Mix', 'کشمیری چائے مکس', 'tea-beverages', 'pack', [['250g', '۲۵۰ گرام', 480, 24]]],
  ['SAUNF', 'Saunf', 'سونف', 'spices', 'pack', [['100g', '۱۰۰ گرام', 180, 24]]],
  ['ELAICHI', 'Choti Elaichi', 'چھوٹی الائچی', 'spices', 'pack', [['25g', '۲۵ گرام', 390, 24]]],
  ['DAAL-MASOOR-PACK', 'Mitchell Daal Masoor Packed', 'دال مسور پیکٹ', 'pulses', 'pack', [['1kg', '۱ کلو', 360, 20]]],
  ['POHA', 'Poha', 'پوہا', 'flour-grains', 'pack', [['500g', '۵۰۰ گرام', 220, 24]]],
  ['BAKING-POWDER', 'Rafhan Baking Powder', 'رفحان بیکنگ پاؤڈر', 'condiments', 'pack', [['100g', '۱۰۰ گرام', 150, 48]]],
  ['CORNFLOUR', 'Rafhan Corn Flour', 'رفحان کارن فلور', 'condiments', 'pack', [['300g', '۳۰۰ گرام', 220, 24]]],
  ['HAIR-OIL-PARACHUTE', 'Parachute Coconut Oil', 'پیراشوٹ ناریل کا تیل', 'personal-care', 'piece', [['100ml', '۱۰۰ ملی لیٹر', 260, 48], ['200ml', '۲۰۰ ملی لیٹر', 480, 24]]],
  ['SANITARY-BUTTERFLY', 'Butterfly Sanitary Pads', 'بٹر فلائی پیڈز', 'personal-care', 'pack', [['', '', 320, 24]]],
  ['POLISH-KIWI', 'Kiwi Shoe Polish', 'کیوی شو پالش', 'household', 'piece', [['', '', 210, 48]]],
  ['PHENYL', 'Phenyl', 'فینائل', 'household', 'piece', [['1L', '۱ لیٹر', 280, 12]]],
  ['GARBAGE-BAGS', 'Garbage Bags', 'کچرے کے تھیلے', 'household', 'pack', [['', '', 180, 40]]],
];

/** The EAN-13 check digit of a 12-digit body, as GS1 defines it. */
export function eanCheckDigit(body: string): number {
  const sum = [...body].reduce((s, d, i) => s + Number(d) * (i % 2 === 0 ? 1 : 3), 0);
  return (10 - (sum % 10)) % 10;
}

/** A barcode with the Pakistani GS1 prefix 896. */
export function ean13(serial: number): string {
  const body = `896${String(serial).padStart(9, '0')}`;
  return body + eanCheckDigit(body);
}

export const demoCatalog: readonly DemoProduct[] = families.flatMap(([sku, nameEn, nameUr, category, unit, sizes]) =>
  sizes.map(([sizeEn, sizeUr, defaultPrice, packSize]) => ({
    sku: sizeEn ? `${sku}-${sizeEn.toUpperCase().replace(/[^A-Z0-9.]+/g, '')}` : sku,
    nameEn: sizeEn ? `${nameEn} ${sizeEn}` : nameEn,
    nameUr: sizeUr ? `${nameUr} ${sizeUr}` : nameUr,
    category,
    unit,
    packSize,
    defaultPrice,
    barcode: '',
  })),
).map((p, i) => ({ ...p, barcode: ean13(100_001 + i) }));
